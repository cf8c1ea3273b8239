import { AppError } from '@telemed/shared';
import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppProviders } from '../../app/AppProviders.js';
import type { NetworkTestProgress } from '../../call/precall/NetworkTest.js';
import { NetworkTestCheck } from './NetworkTestPanel.js';
import type { PrecallMeasurement } from './precallVerdict.js';
import type { NetworkTestRunner } from './useNetworkTestRunner.js';

/** A runner the test drives step by step: it reports progress, then answers, when told to. */
function steppedRunner() {
  let report: (progress: NetworkTestProgress) => void = () => undefined;
  let answer: (m: PrecallMeasurement) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  let aborted: AbortSignal | undefined;
  const runner: NetworkTestRunner = (onProgress, signal) => {
    report = onProgress;
    aborted = signal;
    return new Promise((resolve, reject) => {
      answer = resolve;
      fail = reject;
    });
  };
  return {
    runner,
    report: (p: NetworkTestProgress) => report(p),
    answer: (m: PrecallMeasurement) => answer(m),
    fail: (e: unknown) => fail(e),
    get aborted() {
      return aborted?.aborted;
    },
  };
}

const show = (locale: 'ar' | 'en', runner: NetworkTestRunner) =>
  render(
    <AppProviders initialLocale={locale}>
      <NetworkTestCheck runner={runner} />
    </AppProviders>,
  );

describe('the network test panel', () => {
  it('shows progress while measuring, then the verdict with the figures, and offers to test again', async () => {
    const run = steppedRunner();
    show('en', run.runner);
    const user = userEvent.setup();
    expect(screen.getByRole('region', { name: 'Connection test' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Test my connection' }));
    expect(screen.getByRole('progressbar', { name: 'Reaching the video server…' })).toBeTruthy();

    run.report({ phase: 'measuring', fraction: 0.6 });
    const bar = await screen.findByRole('progressbar', { name: 'Measuring your connection…' });
    expect(bar.getAttribute('aria-valuenow')).toBe('60');

    run.answer({ reachability: 'udp', uplinkKbps: 900, downlinkKbps: 880, rttMs: 3, loss: 0 });
    const verdict = await screen.findByRole('status', { name: 'Good for video' });
    expect(verdict.textContent).toContain('Upload 900 kbps, download 880 kbps');
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByRole('button', { name: 'Test again' })).toBeTruthy();
  });

  it('says in Arabic that the relay is being tried, and why the test could not run', async () => {
    const run = steppedRunner();
    show('ar', run.runner);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'افحص اتصالي' }));
    run.report({ phase: 'connecting-relay', fraction: 0.3 });
    expect(await screen.findByRole('progressbar', { name: /خادم الترحيل/ })).toBeTruthy();
    run.fail(new AppError('RATE_LIMITED', 'لقد فحصت اتصالك ١٠ مرات خلال وقت قصير'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('تعذّر إجراء الفحص');
    expect(alert.textContent).toContain('لقد فحصت اتصالك');
  });

  it('stops the test when the panel goes', async () => {
    const run = steppedRunner();
    const { unmount } = show('en', run.runner);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Test my connection' }));
    unmount();
    expect(run.aborted).toBe(true);
  });
});

describe('the measured figures in Arabic', () => {
  it('are written in Arabic-Indic digits, as every other number on the Arabic screens', async () => {
    const run = steppedRunner();
    show('ar', run.runner);
    await userEvent.setup().click(screen.getByRole('button', { name: 'افحص اتصالي' }));
    run.answer({ reachability: 'udp', uplinkKbps: 1437, downlinkKbps: 900, rttMs: 3, loss: 0 });
    const verdict = await screen.findByRole('status', { name: 'مناسب للفيديو' });
    expect(verdict.textContent).toContain('الرفع ١٬٤٣٧ ك.ب/ث');
    expect(verdict.textContent).toContain('زمن الذهاب والإياب ٣ م.ث');
  });
});
