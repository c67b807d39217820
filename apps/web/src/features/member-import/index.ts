/** The member import and export feature's door: the export dialog the member list opens. */
export { ExportModal } from './components/ExportModal.tsx';
