import { requestFirstScreen } from './first-screen.ts';

// Imported first by main.tsx, so that this runs before React and antd are evaluated.
requestFirstScreen(window.location);
