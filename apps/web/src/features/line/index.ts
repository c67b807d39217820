/** The LINE channels feature's door: the channels tab of the settings page. */
export { LineChannelsTab } from './components/LineChannelsTab.tsx';
