import mongoose, { type Connection } from 'mongoose';

/**
 * Opens the records database. The URI may point at the embedded store or a real MongoDB replica set:
 * nothing here or elsewhere in the service tells them apart.
 */
export async function connectDatabase(uri: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 5000,
    // Without buffering, a request made while the database is away fails fast with a clear error.
    bufferCommands: false,
    autoIndex: true,
  });
  await connection.asPromise();
  return connection;
}

/** Readiness: the database answers a ping. */
export async function pingDatabase(connection: Connection): Promise<string> {
  if (!connection.db) throw new Error('not connected');
  await connection.db.admin().ping();
  return connection.host ? `${connection.host}:${connection.port}` : 'connected';
}
