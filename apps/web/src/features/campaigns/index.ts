/**
 * The campaigns feature's door, for screens that send LINE messages too (automation): the message editor, the LINE
 * preview and the message drafts they work on. The campaign pages themselves are mounted by app/router.
 */
export { MessageEditor, type MessageEditorContext } from './components/MessageEditor.tsx';
export { LinePreview } from './components/LinePreview.tsx';
export { controlPropsFor, isBlankName, issueProps, nameIssue, NAME_MAX, issuesByPath, type Issues } from './components/field-issues.ts';
export { useDraftSave } from './components/use-draft-save.ts';
export { useButtonTags } from './components/use-button-tags.ts';
export { previewOf, imagePath, sampleGuestFor } from './preview.ts';
export { MESSAGE_TYPES, newMessage, toRequestMessages, type CampaignImage, type MessageDraft, type MessageType } from './messages.ts';
