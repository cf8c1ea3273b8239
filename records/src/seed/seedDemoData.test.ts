import type { DemoAccount } from '@telemed/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordsTestServer, startRecordsTestServer } from '../testing/recordsTestServer.js';
import { seedDemoData } from './seedDemoData.js';

describe('demo data', () => {
  let server: RecordsTestServer;
  let accounts: DemoAccount[];

  beforeAll(async () => {
    server = await startRecordsTestServer();
    accounts = await seedDemoData(server.models);
  });
  afterAll(() => server?.stop());

  it('has a hospital with three specialties, three clinics in different governorates, and each role', async () => {
    const hospital = await server.models.Organization.findOne({ kind: 'hospital' }).lean();
    expect(hospital?.specialties).toHaveLength(3);
    const clinics = await server.models.Organization.find({ kind: 'clinic' }).lean();
    expect(new Set(clinics.map((c) => c.governorate)).size).toBe(3);
    expect(new Set(accounts.map((a) => a.role))).toEqual(
      new Set(['administrator', 'auditor', 'specialist', 'clinic_doctor']),
    );
    expect(await server.models.Patient.countDocuments()).toBe(30);
  });

  it('gives every account a distinct random password that signs in', async () => {
    expect(new Set(accounts.map((a) => a.password)).size).toBe(accounts.length);
    for (const account of accounts.slice(0, 3)) {
      const res = await server.call('POST', '/api/auth/login', {
        body: { username: account.username, password: account.password },
      });
      expect(res.status, account.username).toBe(200);
    }
  });

  it('books a week of appointments inside the specialists’ hours, without double booking', async () => {
    const appointments = await server.models.Appointment.find().lean();
    expect(appointments.length).toBeGreaterThanOrEqual(18 * 3);
    const bySpecialist = new Map<string, { start: number; end: number }[]>();
    for (const a of appointments) {
      const list = bySpecialist.get(a.specialistId!.toHexString()) ?? [];
      for (const other of list) {
        expect(a.start.getTime() >= other.end || a.end.getTime() <= other.start).toBe(true);
      }
      list.push({ start: a.start.getTime(), end: a.end.getTime() });
      bySpecialist.set(a.specialistId!.toHexString(), list);
    }
    const specialist = accounts.find((a) => a.role === 'specialist')!;
    const login = await server.call('POST', '/api/auth/login', {
      body: { username: specialist.username, password: specialist.password },
    });
    const mine = await server.call('GET', '/api/appointments?limit=100', { token: login.body.accessToken });
    expect(mine.body.total).toBeGreaterThan(0);
  });
});
