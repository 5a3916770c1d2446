import { requestFirstScreen } from './first-screen.ts';

// Imported first by main.tsx: the requests leave while the app's modules are still being evaluated.
requestFirstScreen(window.location);
