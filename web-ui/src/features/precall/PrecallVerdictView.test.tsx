import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AppProviders } from '../../app/AppProviders.js';
import { PrecallVerdictView } from './PrecallVerdictView.js';
import type { PrecallMeasurement } from './precallVerdict.js';

const show = (locale: 'ar' | 'en', measurement: PrecallMeasurement) =>
  render(
    <AppProviders initialLocale={locale}>
      <PrecallVerdictView measurement={measurement} />
    </AppProviders>,
  );

describe('the pre-call verdict on screen', () => {
  it('says "good for video" with what was measured on a clean link', () => {
    show('en', { reachability: 'udp', uplinkKbps: 1200, downlinkKbps: 1500, rttMs: 12, loss: 0 });
    expect(screen.getByRole('status', { name: 'Good for video' }).textContent).toContain(
      'Upload 1200 kbps, download 1500 kbps, round trip 12 ms, loss 0%',
    );
  });

  it('says "audio only" and what to do, in Arabic, on a weak relayed link', () => {
    show('ar', { reachability: 'turn', uplinkKbps: 150, downlinkKbps: 900, rttMs: 80, loss: 0.01 });
    const status = screen.getByRole('status', { name: 'الصوت فقط' });
    expect(status.textContent).toContain('سرعة الرفع لديك منخفضة جدًا للفيديو');
    expect(status.textContent).toContain('خادم ترحيل');
  });

  it('says "cannot connect" with the firewall advice when the SFU is unreachable', () => {
    show('en', { reachability: 'none', uplinkKbps: null, downlinkKbps: null, rttMs: null, loss: null });
    expect(screen.getByRole('status', { name: 'Cannot connect' }).textContent).toContain('outgoing TCP 443');
  });
});
