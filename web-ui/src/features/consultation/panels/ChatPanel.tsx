import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Box, Button, Group, Paper, ScrollArea, Stack, Text, Textarea } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type ChatMessage, chatMessageInputSchema } from '@telemed/shared';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useIntl } from 'react-intl';
import { useCall } from '../../../call/CallProvider.js';
import { useFieldErrors } from '../../../forms/useFieldErrors.js';
import { useT } from '../../../i18n/LocaleProvider.js';
import { addLiveItem } from './liveConsultation.js';

const chatFormSchema = chatMessageInputSchema.pick({ text: true });

/** The consultation's chat, kept in the record: history first, then what either side sends, live. */
export function ChatPanel({
  consultationId,
  selfId,
  messages,
}: {
  consultationId: string;
  selfId: string;
  messages: ChatMessage[];
}) {
  const t = useT();
  const viewport = useRef<HTMLDivElement>(null);
  const ordered = [...messages].sort((a, b) => a.at.localeCompare(b.at));

  // The newest message in view whenever one arrives.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on a new message, which the viewport does not know of.
  useEffect(() => {
    if (viewport.current) viewport.current.scrollTop = viewport.current.scrollHeight;
  }, [ordered.length]);

  return (
    <Stack gap="sm">
      <ScrollArea.Autosize mah={360} viewportRef={viewport} type="auto">
        {ordered.length === 0 ? (
          <Text c="dimmed">{t('panels.chat.none')}</Text>
        ) : (
          <Stack gap="xs" role="log" aria-label={t('panels.chat.log')} component="ol" p={0} m={0}>
            {ordered.map((message) => (
              <ChatBubble key={message.id} message={message} own={message.authorId === selfId} />
            ))}
          </Stack>
        )}
      </ScrollArea.Autosize>
      <ChatForm consultationId={consultationId} />
    </Stack>
  );
}

function ChatBubble({ message, own }: { message: ChatMessage; own: boolean }) {
  const t = useT();
  const intl = useIntl();
  const author = own
    ? t('panels.chat.you')
    : t(message.authorRole === 'clinic_doctor' ? 'panels.chat.clinic' : 'panels.chat.specialist');
  return (
    <Box
      component="li"
      data-own={own}
      style={{ listStyle: 'none', alignSelf: own ? 'flex-end' : 'flex-start', maxWidth: '85%' }}
    >
      <Paper p="xs" radius="md" bg={own ? 'clinical.0' : 'gray.1'}>
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Text size="xs" fw={600}>
            {author}
          </Text>
          <Text size="xs" c="dimmed">
            <time dateTime={message.at}>
              {intl.formatTime(message.at, { hour: '2-digit', minute: '2-digit' })}
            </time>
          </Text>
        </Group>
        <Text dir="auto" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {message.text}
        </Text>
      </Paper>
    </Box>
  );
}

function ChatForm({ consultationId }: { consultationId: string }) {
  const t = useT();
  const call = useCall();
  const queryClient = useQueryClient();
  const fieldError = useFieldErrors();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<{ text: string }>({
    resolver: zodResolver(chatFormSchema),
    defaultValues: { text: '' },
  });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async ({ text }) => {
    setFailure(null);
    try {
      const message = await call.sendChat(text, crypto.randomUUID());
      addLiveItem(queryClient, consultationId, { list: 'chat', item: message });
      form.reset({ text: '' });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs">
        <Textarea
          label={t('panels.chat.message')}
          rows={2}
          dir="auto"
          error={fieldError(errors.text, {
            too_big: 'panels.chat.tooLong',
            default: 'panels.chat.empty',
          })}
          onKeyDown={(event) => {
            // Enter sends, Shift+Enter starts a new line, as in every chat.
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              void submit();
            }
          }}
          {...form.register('text')}
        />
        {failure && (
          <Alert color="red" role="alert" p="xs">
            {failure}
          </Alert>
        )}
        <Button type="submit" loading={isSubmitting}>
          {t('panels.chat.send')}
        </Button>
      </Stack>
    </form>
  );
}
