import { Readable } from 'node:stream';
import mongoose, { type Connection, type Model, Schema, Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, start } from '../index.js';

// The same scenarios run against a real MongoDB when MONGODB_URI is set, so any divergence shows.
const externalUri = process.env.MONGODB_URI;

let server: RunningServer | undefined;
let conn: Connection;
const dbName = `conformance_${process.pid}_${Date.now()}`;

// Scenarios feed deliberately loose input (strings to cast, invalid enums), so models are loosely typed.
type Loose = Record<string, unknown>;
const model = (name: string, schema?: Schema): Model<Loose> =>
  (schema ? conn.model(name, schema) : conn.model(name)) as unknown as Model<Loose>;

beforeAll(async () => {
  let uri = externalUri;
  if (!uri) {
    server = await start({ port: 0 });
    uri = server.uri;
  }
  conn = await mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 5000 }).asPromise();
});

afterAll(async () => {
  await conn?.dropDatabase();
  await conn?.close();
  await server?.stop();
});

const patientSchema = new Schema({
  name: { type: String, required: true, trim: true },
  email: { type: String, required: true, unique: true, lowercase: true },
  birthYear: { type: Number, min: 1900, max: 2100 },
  tags: [String],
  address: { city: String, zip: String },
});

const consultationSchema = new Schema(
  {
    patient: { type: Schema.Types.ObjectId, ref: 'Patient', required: true },
    specialist: { type: String, required: true, index: true },
    status: { type: String, enum: ['scheduled', 'active', 'done'], default: 'scheduled' },
    notes: String,
    vitals: { heartRate: Number, spo2: Number },
    seq: Number,
  },
  { timestamps: true },
);

describe('mongoose conformance', () => {
  it('creates, reads, validates and applies schema defaults and casting', async () => {
    const Patient = model('Patient', patientSchema);
    await Patient.init();
    const created = await Patient.create({
      name: '  Ana  ',
      email: 'ANA@EXAMPLE.ORG',
      birthYear: '1980',
      tags: ['a'],
    });
    expect(created.name).toBe('Ana');
    const found = await Patient.findById(created._id).lean();
    expect(found).toMatchObject({ name: 'Ana', email: 'ana@example.org', birthYear: 1980, tags: ['a'] });
    expect(found?._id).toBeInstanceOf(Types.ObjectId);

    await expect(Patient.create({ email: 'x@y.z' })).rejects.toThrow(/name.*required/);
    await expect(Patient.create({ name: 'Old', email: 'old@y.z', birthYear: 1800 })).rejects.toThrow(
      /birthYear/,
    );

    const Consultation = model('Consultation', consultationSchema);
    const c = await Consultation.create({ patient: created._id, specialist: 'dr-a' });
    expect(c.status).toBe('scheduled');
    expect(c.createdAt).toBeInstanceOf(Date);
    await expect(
      Consultation.create({ patient: created._id, specialist: 'dr-a', status: 'nope' }),
    ).rejects.toThrow(/is not a valid enum value/);
  });

  it('reports unique index violations exactly like MongoDB (code 11000, keyPattern, keyValue)', async () => {
    const Patient = model('Patient');
    await Patient.create({ name: 'Ben', email: 'ben@example.org' });
    const error = await Patient.create({ name: 'Ben 2', email: 'BEN@example.org' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 11000,
      keyPattern: { email: 1 },
      keyValue: { email: 'ben@example.org' },
    });
    expect((error as Error).message).toMatch(
      /E11000 duplicate key error collection: .*patients index: email_1 dup key/,
    );

    const bulk = await Patient.insertMany(
      [
        { name: 'C1', email: 'c1@example.org' },
        { name: 'C2', email: 'ben@example.org' },
        { name: 'C3', email: 'c3@example.org' },
      ],
      { ordered: false },
    ).catch((e: { writeErrors?: Array<{ code?: number; index?: number }>; insertedDocs?: unknown[] }) => e);
    expect((bulk as { writeErrors: Array<{ code: number; index: number }> }).writeErrors).toHaveLength(1);
    expect((bulk as { writeErrors: Array<{ code: number; index: number }> }).writeErrors[0]).toMatchObject({
      code: 11000,
      index: 1,
    });
    expect(await Patient.countDocuments({ email: { $in: ['c1@example.org', 'c3@example.org'] } })).toBe(2);
  });

  it('enforces a case-insensitive unique index declared with a collation, and queries with .collation()', async () => {
    const caseInsensitive = { locale: 'en', strength: 2 };
    const clinicSchema = new Schema({ name: { type: String, required: true }, city: String, rank: Number });
    clinicSchema.index({ name: 1 }, { unique: true, collation: caseInsensitive });
    const Clinic = model('Clinic', clinicSchema);
    await Clinic.init();
    const index = (await Clinic.listIndexes()).find((i: { name?: string }) => i.name === 'name_1');
    expect(index).toMatchObject({ unique: true, collation: { locale: 'en', strength: 2, caseFirst: 'off' } });

    await Clinic.create({ name: 'Nile Clinic', city: 'Cairo', rank: 2 });
    const error = await Clinic.create({ name: 'NILE CLINIC', city: 'Giza' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 11000, keyPattern: { name: 1 } });
    await Clinic.create([
      { name: 'Amman Care', city: 'amman', rank: 3 },
      { name: 'beirut health', city: 'BEIRUT', rank: 1 },
    ]);

    // Without a collation the comparison is binary; with one, case is ignored in filters and sorts.
    expect(await Clinic.find({ city: 'cairo' }).lean()).toEqual([]);
    const found = await Clinic.find({ city: 'CAIRO' }).collation(caseInsensitive).lean();
    expect(found.map((c) => c.name)).toEqual(['Nile Clinic']);
    const sorted = await Clinic.find().sort({ name: 1 }).collation(caseInsensitive).lean();
    expect(sorted.map((c) => c.name)).toEqual(['Amman Care', 'beirut health', 'Nile Clinic']);
    const binarySorted = await Clinic.find().sort({ name: 1 }).lean();
    expect(binarySorted.map((c) => c.name)).toEqual(['Amman Care', 'Nile Clinic', 'beirut health']);
    expect(
      await Clinic.countDocuments({ city: { $in: ['AMMAN', 'beirut'] } }).collation(caseInsensitive),
    ).toBe(2);
    const updated = await Clinic.findOneAndUpdate(
      { name: 'nile clinic' },
      { $inc: { rank: 1 } },
      { new: true },
    )
      .collation(caseInsensitive)
      .lean();
    expect(updated).toMatchObject({ name: 'Nile Clinic', rank: 3 });
  });

  it('populates references', async () => {
    const Patient = model('Patient');
    const Consultation = model('Consultation');
    const p = await Patient.create({ name: 'Dora', email: 'dora@example.org' });
    await Consultation.create([
      { patient: p._id, specialist: 'dr-b', notes: 'first' },
      { patient: p._id, specialist: 'dr-c', notes: 'second' },
    ]);
    const list = await Consultation.find({ patient: p._id })
      .sort({ notes: 1 })
      .populate('patient', 'name email')
      .lean();
    expect(list.map((c) => c.notes)).toEqual(['first', 'second']);
    expect(list[0]?.patient).toMatchObject({ name: 'Dora', email: 'dora@example.org' });
    expect((list[0]?.patient as { birthYear?: number } | undefined)?.birthYear).toBeUndefined();
  });

  it('findOneAndUpdate with new, upsert, operators, arrayFilters and runValidators', async () => {
    const Patient = model('Patient');
    await Patient.create({ name: 'Eve', email: 'eve@example.org', tags: ['x', 'y', 'x'] });
    const updated = await Patient.findOneAndUpdate(
      { email: 'eve@example.org' },
      { $set: { 'address.city': 'Lyon' }, $push: { tags: 'z' } },
      { returnDocument: 'after' },
    ).lean();
    expect(updated).toMatchObject({ address: { city: 'Lyon' }, tags: ['x', 'y', 'x', 'z'] });

    const before = await Patient.findOneAndUpdate(
      { email: 'eve@example.org' },
      { $set: { birthYear: 1990 } },
    ).lean();
    expect(before?.birthYear).toBeUndefined();

    await Patient.updateOne(
      { email: 'eve@example.org' },
      { $set: { 'tags.$[t]': 'w' } },
      { arrayFilters: [{ t: 'x' }] },
    );
    expect((await Patient.findOne({ email: 'eve@example.org' }).lean())?.tags).toEqual(['w', 'y', 'w', 'z']);

    const upserted = await Patient.findOneAndUpdate(
      { email: 'fay@example.org' },
      { $set: { name: 'Fay' }, $setOnInsert: { birthYear: 2001 } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    expect(upserted).toMatchObject({ email: 'fay@example.org', name: 'Fay', birthYear: 2001 });
    const again = await Patient.findOneAndUpdate(
      { email: 'fay@example.org' },
      { $set: { name: 'Fay B' }, $setOnInsert: { birthYear: 1950 } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    expect(again).toMatchObject({ name: 'Fay B', birthYear: 2001 });

    await expect(
      Patient.findOneAndUpdate({ email: 'fay@example.org' }, { birthYear: 1000 }, { runValidators: true }),
    ).rejects.toThrow(/birthYear/);

    const deleted = await Patient.findOneAndDelete({ email: 'fay@example.org' }).lean();
    expect(deleted?.name).toBe('Fay B');
    expect(await Patient.exists({ email: 'fay@example.org' })).toBeNull();

    const res = await Patient.updateMany({ email: /@example\.org$/ }, [{ $set: { domain: 'example.org' } }], {
      strict: false,
      updatePipeline: true,
    });
    expect(res.modifiedCount).toBeGreaterThan(3);
  });

  it('aggregates with $match $group $sort $project $lookup $unwind $facet $count $limit $skip $addFields', async () => {
    const Patient = model('Patient');
    const Consultation = model('Consultation');
    const p = await Patient.create({ name: 'Gus', email: 'gus@example.org' });
    await Consultation.insertMany(
      [1, 2, 3, 4, 5, 6].map((i) => ({
        patient: p._id,
        specialist: i % 2 ? 'dr-odd' : 'dr-even',
        status: 'done',
        vitals: { heartRate: 60 + i },
        seq: i,
      })),
    );
    const grouped = await Consultation.aggregate([
      { $match: { patient: p._id } },
      { $group: { _id: '$specialist', n: { $sum: 1 }, avgHr: { $avg: '$vitals.heartRate' } } },
      { $sort: { _id: 1 } },
      { $project: { _id: 0, specialist: '$_id', n: 1, avgHr: 1 } },
    ]);
    expect(grouped).toEqual([
      { specialist: 'dr-even', n: 3, avgHr: 64 },
      { specialist: 'dr-odd', n: 3, avgHr: 63 },
    ]);
    const joined = await Consultation.aggregate([
      { $match: { patient: p._id, seq: { $gte: 2 } } },
      { $sort: { seq: 1 } },
      { $skip: 1 },
      { $limit: 2 },
      { $lookup: { from: 'patients', localField: 'patient', foreignField: '_id', as: 'p' } },
      { $unwind: '$p' },
      { $addFields: { patientName: '$p.name' } },
      { $project: { _id: 0, seq: 1, patientName: 1 } },
    ]);
    expect(joined).toEqual([
      { seq: 3, patientName: 'Gus' },
      { seq: 4, patientName: 'Gus' },
    ]);
    const [facets] = await Consultation.aggregate([
      { $match: { patient: p._id } },
      {
        $facet: {
          total: [{ $count: 'n' }],
          top: [{ $sort: { seq: -1 } }, { $limit: 1 }, { $project: { _id: 0, seq: 1 } }],
        },
      },
    ]);
    expect(facets).toEqual({ total: [{ n: 6 }], top: [{ seq: 6 }] });
  });

  it('streams a cursor over 10k documents in batches', async () => {
    const Item = conn.model('Item', new Schema({ n: { type: Number, index: true }, body: String }));
    await Item.init();
    const docs = Array.from({ length: 10_000 }, (_, n) => ({ n, body: `item ${n}` }));
    await Item.insertMany(docs, { lean: true });
    let count = 0;
    let last = -1;
    let ordered = true;
    for await (const doc of Item.find({ n: { $gte: 0 } })
      .sort({ n: 1 })
      .batchSize(500)
      .lean()
      .cursor()) {
      if ((doc.n as number) <= last) ordered = false;
      last = doc.n as number;
      count++;
    }
    expect(count).toBe(10_000);
    expect(ordered).toBe(true);
    expect(await Item.countDocuments({ n: { $lt: 2500 } })).toBe(2500);
    expect(await Item.estimatedDocumentCount()).toBe(10_000);
    const page = await Item.find({}, { _id: 0, n: 1 }).sort({ n: -1 }).skip(10).limit(3).lean();
    expect(page).toEqual([{ n: 9989 }, { n: 9988 }, { n: 9987 }]);
    const removed = await Item.deleteMany({ n: { $gte: 5000 } });
    expect(removed.deletedCount).toBe(5000);
  });

  it('uploads and downloads attachments through GridFSBucket', async () => {
    const bucket = new mongoose.mongo.GridFSBucket(conn.db!, {
      bucketName: 'attachments',
      chunkSizeBytes: 64 * 1024,
    });
    const payload = Buffer.alloc(1_000_000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) & 0xff;
    const upload = bucket.openUploadStream('scan.dcm', { metadata: { patient: 'p1' } });
    await new Promise<void>((resolve, reject) => {
      Readable.from([payload.subarray(0, 300_000), payload.subarray(300_000)])
        .pipe(upload)
        .on('finish', () => resolve())
        .on('error', reject);
    });
    const files = await bucket.find({ filename: 'scan.dcm' }).toArray();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ length: 1_000_000, chunkSize: 64 * 1024, metadata: { patient: 'p1' } });
    const chunks: Buffer[] = [];
    for await (const chunk of bucket.openDownloadStream(upload.id)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(payload)).toBe(true);
    const ranged: Buffer[] = [];
    for await (const chunk of bucket.openDownloadStreamByName('scan.dcm', { start: 70_000, end: 70_010 })) {
      ranged.push(chunk as Buffer);
    }
    expect(Buffer.concat(ranged).equals(payload.subarray(70_000, 70_010))).toBe(true);
    await bucket.delete(upload.id);
    expect(await bucket.find({}).toArray()).toHaveLength(0);
    expect(await conn.db!.collection('attachments.chunks').countDocuments()).toBe(0);
  });

  it('reads through a view model made with createCollection({viewOn, pipeline}); writes to it are refused', async () => {
    const Visit = model('Visit', new Schema({ patientName: String, clinic: String, minutes: Number }));
    await Visit.init();
    await Visit.create([
      { patientName: 'Huda', clinic: 'cardio', minutes: 30 },
      { patientName: 'Omar', clinic: 'derm', minutes: 15 },
      { patientName: 'Sara', clinic: 'cardio', minutes: 45 },
    ]);
    // A view model must not let mongoose create a collection of the same name first.
    const viewSchema = new Schema(
      { patientName: String, minutes: Number },
      { autoCreate: false, autoIndex: false, collection: 'cardio_visits' },
    );
    const CardioVisit = model('CardioVisit', viewSchema);
    await CardioVisit.createCollection({
      viewOn: Visit.collection.collectionName,
      pipeline: [{ $match: { clinic: 'cardio' } }, { $project: { clinic: 0 } }],
    } as never);
    const rows = await CardioVisit.find({}, { _id: 0 }).sort({ minutes: -1 }).lean();
    expect(rows).toEqual([
      { patientName: 'Sara', minutes: 45, __v: 0 },
      { patientName: 'Huda', minutes: 30, __v: 0 },
    ]);
    expect(await CardioVisit.countDocuments({ minutes: { $gt: 40 } })).toBe(1);
    const total = await CardioVisit.aggregate([{ $group: { _id: null, minutes: { $sum: '$minutes' } } }]);
    expect(total).toEqual([{ _id: null, minutes: 75 }]);
    const infos = await conn.db!.listCollections({ name: 'cardio_visits' }).toArray();
    expect(infos[0]).toMatchObject({ type: 'view', options: { viewOn: Visit.collection.collectionName } });
    const refused = await CardioVisit.create({ patientName: 'X', minutes: 1 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 166, codeName: 'CommandNotSupportedOnView' });
    expect(await Visit.countDocuments()).toBe(3);
  });

  it('fails transactions clearly on this deployment instead of pretending', async () => {
    if (externalUri) return; // a replica set supports them; the records service must not rely on it
    const Patient = model('Patient');
    const error = await conn
      .transaction(async (session) => {
        await Patient.create([{ name: 'Tx', email: 'tx@example.org' }], { session });
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toMatch(/replica set|retryable writes|Transaction numbers/);
    expect(await Patient.exists({ email: 'tx@example.org' })).toBeNull();
  });
});
