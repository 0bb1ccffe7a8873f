// The DevTools page only creates our panel. `chrome.devtools` is used directly: in some Chrome
// builds webextension-polyfill leaves `browser.devtools` undefined here (FACTS.md).
export const PANEL_TITLE = 'Socket Autopsy';

chrome.devtools.panels.create(PANEL_TITLE, 'icons/icon-32.png', 'src/panel/panel.html');
