// The DevTools page only creates our panel. `chrome.devtools` is used directly: in some Chrome
// builds webextension-polyfill leaves `browser.devtools` undefined here (docs/facts.md); Firefox
// offers the same `chrome.devtools.panels.create` in its devtools page.
export const PANEL_TITLE = 'Socket Autopsy';

// Absolute paths (leading "/"): Chrome resolves both paths against the extension's root, but
// Firefox resolves them against the calling page, here src/devtools/devtools.html (MDN,
// devtools.panels.create › iconPath / pagePath), which would point at src/devtools/src/panel/….
chrome.devtools.panels.create(PANEL_TITLE, '/icons/icon-32.png', '/src/panel/panel.html');
