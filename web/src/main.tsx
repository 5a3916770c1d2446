// First: the screen's API requests leave as the app's modules are evaluated, before any render.
import './boot/start.ts';
import { settleEarly } from './boot/early-requests.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { preloadPagesFor } from './route-pages.ts';
// antd's prebuilt styles (App.tsx sets zeroRuntime) and its recommended reset.
import 'antd/dist/reset.css';
import 'antd/dist/antd.css';
import './app.css';

// One first render of the whole screen (session, layout, page, with its data) instead of a spinner
// per step; until then index.html shows its own. Data slower than 1.5 s is not waited for: the page
// then shows it as it arrives. A chunk that fails to load is reported by the page that needs it.
await Promise.all([settleEarly(1500), preloadPagesFor(window.location.pathname).catch(() => {})]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
