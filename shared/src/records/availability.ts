import { z } from 'zod';
import { objectIdSchema } from '../identifiers.js';
import { isoDateSchema, timeZoneSchema } from './common.js';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a time as HH:mm' });

/** A weekly recurring window in the hospital's local time; weekday 0 is Sunday. */
export const weeklySlotSchema = z
  .strictObject({ weekday: z.number().int().min(0).max(6), start: clockTime, end: clockTime })
  .refine((s) => s.start < s.end, { message: 'a slot must end after it starts', path: ['end'] });
export type WeeklySlot = z.infer<typeof weeklySlotSchema>;

/** Days the specialist is away (leave, holidays), inclusive, in the hospital's local dates. */
export const availabilityExceptionSchema = z
  .strictObject({ from: isoDateSchema, to: isoDateSchema, reason: z.string().trim().max(200).default('') })
  .refine((e) => e.from <= e.to, { message: '"to" must not be before "from"', path: ['to'] });
export type AvailabilityException = z.infer<typeof availabilityExceptionSchema>;

export const availabilityInputSchema = z.strictObject({
  timeZone: timeZoneSchema.default('Africa/Cairo'),
  weekly: z.array(weeklySlotSchema).max(50),
  exceptions: z.array(availabilityExceptionSchema).max(200).default([]),
});
export type AvailabilityInput = z.infer<typeof availabilityInputSchema>;

export const availabilitySchema = z.object({
  ...availabilityInputSchema.shape,
  specialistId: objectIdSchema,
});
export type Availability = z.infer<typeof availabilitySchema>;
