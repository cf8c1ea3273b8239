import { AppError } from '@telemed/shared';
import type { Connection } from 'mongoose';

/** What the driver-level helpers need of a mongoose model: its connection and its collection's name. */
export interface DriverModel {
  db: Connection;
  collection: { collectionName: string };
}

/** The driver's database handle behind `model`, or 503 while the connection is not up yet. */
export function connectedDb(model: DriverModel): NonNullable<Connection['db']> {
  const db = model.db.db;
  if (!db)
    throw new AppError('SERVICE_UNAVAILABLE', {
      en: 'The database is not connected yet; try again in a moment.',
      ar: 'قاعدة البيانات غير متصلة بعد؛ حاول مرة أخرى بعد لحظات.',
    });
  return db;
}
