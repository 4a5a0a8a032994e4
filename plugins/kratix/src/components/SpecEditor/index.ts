export { SpecEditorDialog } from './SpecEditorDialog';
