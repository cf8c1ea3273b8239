import { type FieldError, type FieldValues, get, type Path, type UseFormReturn } from 'react-hook-form';
import { useFieldErrors } from '../../forms/useFieldErrors.js';

const required = { default: 'admin.form.required' } as const;

/**
 * The props of an admin form's text field that must not be left empty: its direction, its registration in `form`,
 * and, when the schema refuses it, "required" in the reader's language.
 */
export function useRequiredTextField<Values extends FieldValues, Output>(
  form: UseFormReturn<Values, unknown, Output>,
) {
  const fieldError = useFieldErrors();
  return (name: Path<Values>, dir: 'rtl' | 'ltr' | 'auto') => ({
    dir,
    error: fieldError(get(form.formState.errors, name) as FieldError | undefined, required),
    ...form.register(name),
  });
}
