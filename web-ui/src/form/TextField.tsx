import { type InputHTMLAttributes, useId } from 'react';

export interface TextFieldProps
  extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'> {
  label: string;
  value: string;
  onValueChange(value: string): void;
}

/** A labelled text input: the label is tied to the input, so screen readers and tests find it by name. */
export function TextField({ label, value, onValueChange, ...inputProps }: TextFieldProps) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input {...inputProps} id={id} value={value} onChange={(e) => onValueChange(e.target.value)} />
    </>
  );
}
