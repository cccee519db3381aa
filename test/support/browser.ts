export { launchChromium as launchBrowser } from '../../local/chromium';
