import { Alert, Button, Group } from '@mantine/core';

export interface NoteActionButtonsProps {
  /** The refusal of the last try, in the person's language; nothing while there is none. */
  failure: string | null;
  cancelLabel: string;
  onCancel: () => void;
  confirmLabel: string;
  confirmColor?: string;
  running: boolean;
  onConfirm: () => void;
}

/** The end of a deliberate act on the note (signing, amending): why it was refused, then cancel and confirm. */
export function NoteActionButtons({
  failure,
  cancelLabel,
  onCancel,
  confirmLabel,
  confirmColor,
  running,
  onConfirm,
}: NoteActionButtonsProps) {
  return (
    <>
      {failure && (
        <Alert color="red" role="alert" p="xs">
          {failure}
        </Alert>
      )}
      <Group justify="flex-end" gap="xs">
        <Button variant="default" onClick={onCancel}>
          {cancelLabel}
        </Button>
        <Button color={confirmColor} loading={running} onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </Group>
    </>
  );
}
