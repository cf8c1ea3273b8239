import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { testUser } from '../../../testing/demoRecords.js';
import { type FakeRecords, startFakeRecords } from '../../../testing/fakeRecordsServer.js';
import { renderSignedIn } from '../../../testing/renderSignedIn.js';
import type { AppIdentity } from '../../session/AppIdentity.js';
import { ConsultationNoteEditor } from './ConsultationNoteEditor.js';
import { consultationRoutes, testConsultation } from './noteTestRecords.js';

const app: AppIdentity = {
  role: 'specialist',
  titleKey: 'app.specialist.title',
  subtitleKey: 'app.specialist.subtitle',
};

const savedStatus = () => screen.findByRole('status');

describe('ConsultationNoteEditor', () => {
  let records: FakeRecords | undefined;
  afterEach(async () => {
    await records?.stop();
  });

  /** The editor of `server`'s note, signed in through the sign-in page as the specialist who writes it. */
  async function openEditor(server: ReturnType<typeof consultationRoutes>) {
    records = await startFakeRecords({
      user: testUser('specialist'),
      password: 'demo-password',
      routes: server.routes,
    });
    return renderSignedIn(app, <ConsultationNoteEditor consultationId={server.current().id} />, {
      recordsUrl: records.baseUrl,
      locale: 'ar',
      username: testUser('specialist').username,
    });
  }

  it('autosaves with the version; a stale edit of the same field is settled by keep mine, then saved on the new version', async () => {
    const server = consultationRoutes(testConsultation({ content: { findings: 'نبض منتظم' } }));
    const user = await openEditor(server);
    const findings = await screen.findByRole('textbox', { name: 'الفحص والنتائج' });
    await user.type(findings, '، لا نفخة');
    await waitFor(async () => expect((await savedStatus()).textContent).toBe('محفوظ'));
    // One save after the pause in typing (more if this busy machine paused mid-word), each on the version before.
    expect(server.patches.at(-1)?.changes).toEqual({ findings: 'نبض منتظم، لا نفخة' });
    expect(server.patches.map((p) => p.version)).toEqual(server.patches.map((_p, i) => i));
    const versionBeforeOtherTab = server.current().version;

    // A second tab changes the findings and the plan; this one changes the findings again.
    server.otherTab({ findings: 'نبض غير منتظم', plan: 'تخطيط قلب' });
    await user.type(findings, ' بالقلب');
    const conflict = await screen.findByRole('region', { name: 'عدّل شخص آخر الملاحظة في الأثناء' });
    expect((await savedStatus()).textContent).toBe('تعارض مع تعديل آخر');
    // The plan only they changed is taken in without asking; only the findings are contested.
    expect((screen.getByRole('textbox', { name: 'خطة العلاج' }) as HTMLTextAreaElement).value).toBe(
      'تخطيط قلب',
    );
    const field = within(conflict).getByRole('group', { name: 'الفحص والنتائج' });
    expect(within(field).getByText('نبض منتظم، لا نفخة بالقلب')).toBeTruthy();
    expect(within(field).getByText('نبض غير منتظم')).toBeTruthy();
    expect(within(conflict).queryByRole('group', { name: 'خطة العلاج' })).toBeNull();
    const patchesBefore = server.patches.length;

    const apply = within(conflict).getByRole('button', { name: 'تطبيق الاختيار والحفظ' });
    expect((apply as HTMLButtonElement).disabled).toBe(true);
    await user.click(within(field).getByRole('radio', { name: 'إبقاء نصي' }));
    await user.click(apply);
    await waitFor(async () => expect((await savedStatus()).textContent).toBe('محفوظ'));
    expect(screen.queryByRole('region', { name: 'عدّل شخص آخر الملاحظة في الأثناء' })).toBeNull();
    expect(server.patches.at(-1)).toEqual({
      version: versionBeforeOtherTab + 1,
      changes: { findings: 'نبض منتظم، لا نفخة بالقلب' },
    });
    expect(server.patches.length).toBe(patchesBefore + 1);
    expect(server.current().content).toMatchObject({
      findings: 'نبض منتظم، لا نفخة بالقلب',
      plan: 'تخطيط قلب',
    });
  });

  it('take theirs puts the other text in the form and saves nothing over it', async () => {
    const server = consultationRoutes(testConsultation());
    const user = await openEditor(server);
    const recommendations = await screen.findByRole('textbox', { name: 'التوصيات' });
    server.otherTab({ recommendations: 'راحة تامة' });
    await user.type(recommendations, 'مشي يومي');
    const conflict = await screen.findByRole('region', { name: 'عدّل شخص آخر الملاحظة في الأثناء' });
    await user.click(within(conflict).getByRole('radio', { name: 'أخذ نصهم' }));
    await user.click(within(conflict).getByRole('button', { name: 'تطبيق الاختيار والحفظ' }));
    await waitFor(async () => expect((await savedStatus()).textContent).toBe('محفوظ'));
    expect((recommendations as HTMLTextAreaElement).value).toBe('راحة تامة');
    expect(server.current()).toMatchObject({ version: 1, content: { recommendations: 'راحة تامة' } });
    // Only the refused stale write(s); theirs needed no write of ours.
    expect(server.patches.length).toBeGreaterThan(0);
    expect(server.patches.every((p) => p.version === 0)).toBe(true);
  });

  it('signs after a confirmation, then is read-only', async () => {
    const server = consultationRoutes(testConsultation({ content: { findings: 'سليم' } }));
    const user = await openEditor(server);
    await user.click(await screen.findByRole('button', { name: 'توقيع الملاحظة' }));
    const dialog = await screen.findByRole('dialog', { name: 'توقيع ملاحظة الاستشارة' });
    await user.click(within(dialog).getByRole('button', { name: 'نعم، وقّع' }));
    await waitFor(() => expect(server.current().status).toBe('signed'));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'توقيع الملاحظة' })).toBeNull());
    expect((screen.getByRole('textbox', { name: 'الفحص والنتائج' }) as HTMLTextAreaElement).readOnly).toBe(
      true,
    );
    expect(screen.getByRole('button', { name: 'تعديل الملاحظة الموقّعة' })).toBeTruthy();
  });

  it('amends a signed note only with a reason, keeping the signed text in the record', async () => {
    const server = consultationRoutes(testConsultation({ content: { findings: 'سليم' } }));
    const user = await openEditor(server);
    await user.click(await screen.findByRole('button', { name: 'توقيع الملاحظة' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'نعم، وقّع' }));
    await user.click(await screen.findByRole('button', { name: 'تعديل الملاحظة الموقّعة' }));
    const findings = screen.getByRole('textbox', { name: 'الفحص والنتائج' }) as HTMLTextAreaElement;
    expect(findings.readOnly).toBe(false);
    await user.type(findings, '، مع لغط خفيف');
    await user.click(screen.getByRole('button', { name: 'حفظ التعديل' }));
    expect((await screen.findByRole('alert')).textContent).toBe('اكتب سبب التعديل (٣ أحرف على الأقل).');
    await user.type(screen.getByRole('textbox', { name: 'سبب التعديل' }), 'سهو في الكتابة');
    await user.click(screen.getByRole('button', { name: 'حفظ التعديل' }));
    await waitFor(() => expect(server.current().amendments).toHaveLength(1));
    expect(server.current()).toMatchObject({
      status: 'signed',
      content: { findings: 'سليم، مع لغط خفيف' },
      amendments: [{ reason: 'سهو في الكتابة', previous: { findings: 'سليم' } }],
    });
    await waitFor(() => expect(findings.readOnly).toBe(true));
  });
});
