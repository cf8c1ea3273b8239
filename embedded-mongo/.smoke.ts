import { GridFSBucket, MongoClient, ObjectId } from 'mongodb';
import { start } from './src/index.js';

const s = await start({ port: 0, log: console.log });
const c = new MongoClient(s.uri);
await c.connect();
const db = c.db('t');
const col = db.collection('users');
await col.createIndex({ email: 1 }, { unique: true });
console.log(await col.insertOne({ email: 'a@b', n: 1 }));
try {
  await col.insertOne({ email: 'a@b' });
} catch (e: any) {
  console.log('dup', e.code, e.keyPattern, e.keyValue, e.message);
}
console.log(await col.find({ email: 'a@b' }).toArray());
console.log(await col.find({ email: 'a@b' }).explain('executionStats'));
console.log(
  await col.updateOne({ email: 'x' }, { $set: { n: 5 }, $setOnInsert: { c: 1 } }, { upsert: true }),
);
console.log(await col.findOneAndUpdate({ email: 'a@b' }, { $inc: { n: 1 } }, { returnDocument: 'after' }));
console.log(await col.aggregate([{ $group: { _id: null, s: { $sum: '$n' } } }]).toArray());
await col.insertMany(Array.from({ length: 500 }, (_, i) => ({ i, email: `e${i}` })));
let k = 0;
for await (const _ of col.find({ i: { $gte: 0 } }).batchSize(50)) k++;
console.log('count', k, await col.countDocuments({ i: { $lt: 100 } }), await col.estimatedDocumentCount());
console.log(await col.distinct('email', { i: { $lt: 3 } }));
console.log(await db.listCollections().toArray());
console.log(await col.indexes());
const b = new GridFSBucket(db);
const up = b.openUploadStream('f.txt');
up.end(Buffer.alloc(600000, 7));
await new Promise((r) => up.on('finish', r));
const chunks: Buffer[] = [];
for await (const ch of b.openDownloadStreamByName('f.txt')) chunks.push(ch as Buffer);
console.log('gridfs', Buffer.concat(chunks).length);
try {
  await db.command({ nope: 1 });
} catch (e: any) {
  console.log('nope', e.code, e.message);
}
const sess = c.startSession();
try {
  await sess.withTransaction(async () => {
    await col.insertOne({ a: 1 }, { session: sess });
  });
} catch (e: any) {
  console.log('txn', e.code, e.message);
}
await sess.endSession();
try {
  col.watch().on('error', (e) => console.log('watch', e.message));
  const cs = col.watch();
  await cs.tryNext();
} catch (e: any) {
  console.log('watch', e.code, e.message);
}
await c.close();
await s.stop();
