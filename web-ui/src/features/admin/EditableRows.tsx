import { ActionIcon, Button, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A titled list of form rows the person adds to and removes from (weekly hours, days of leave): each row's
 * fields, then its remove button named by its place; a note when there are none, and the add button last.
 */
export function EditableRows({
  title,
  titleId,
  emptyText,
  rowKeys,
  renderFields,
  removeLabel,
  onRemove,
  addLabel,
  onAdd,
}: {
  title: string;
  titleId?: string;
  emptyText: string;
  /** One stable key a row (react-hook-form's field ids). */
  rowKeys: string[];
  renderFields: (index: number) => ReactNode;
  removeLabel: (index: number) => string;
  onRemove: (index: number) => void;
  addLabel: string;
  onAdd: () => void;
}) {
  return (
    <Stack gap="xs">
      <Title order={3} size="h4" id={titleId}>
        {title}
      </Title>
      {rowKeys.length === 0 && <Text c="dimmed">{emptyText}</Text>}
      {rowKeys.map((key, index) => (
        <Group key={key} gap="xs" align="flex-start" wrap="wrap">
          {renderFields(index)}
          <ActionIcon
            mt={28}
            variant="subtle"
            color="red"
            onClick={() => onRemove(index)}
            aria-label={removeLabel(index)}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button variant="light" size="compact-sm" onClick={onAdd}>
          {addLabel}
        </Button>
      </Group>
    </Stack>
  );
}
