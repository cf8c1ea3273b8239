import { Textarea, type TextareaProps } from '@mantine/core';
import { forwardRef } from 'react';
import { freeTextStyles } from './freeTextStyles.js';

/**
 * A note's free-text field: grows with its text, and takes each paragraph's direction from its own first letter
 * (`freeTextStyles`). Two rows unless told.
 */
export const FreeTextarea = forwardRef<HTMLTextAreaElement, TextareaProps & { name?: string }>(
  function FreeTextarea({ minRows = 2, ...props }, ref) {
    return <Textarea ref={ref} styles={freeTextStyles} autosize minRows={minRows} {...props} />;
  },
);
