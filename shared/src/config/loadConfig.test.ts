import { describe, expect, it } from 'vitest';
import { configVariables } from './configVariables.js';
import { ConfigError, loadConfig } from './loadConfig.js';

describe('loadConfig', () => {
  it('applies defaults and parses ports to numbers', () => {
    const config = loadConfig(['SIGNALING_PORT', 'HOST', 'SFU_ENGINE'], {});
    expect(config).toEqual({ SIGNALING_PORT: 4100, HOST: '127.0.0.1', SFU_ENGINE: 'auto' });
  });

  it('names the variable and the expected form for a bad port', () => {
    expect(() => loadConfig(['SIGNALING_PORT'], { SIGNALING_PORT: 'abc' })).toThrowError(
      /SIGNALING_PORT="abc" is not valid: expected a whole number from 1 to 65535/,
    );
    expect(() => loadConfig(['RECORDS_PORT'], { RECORDS_PORT: '70000' })).toThrowError(
      /RECORDS_PORT="70000"/,
    );
  });

  it('takes RECORDS_WORKERS from 1 to 64 and names the range otherwise', () => {
    expect(loadConfig(['RECORDS_WORKERS'], {}).RECORDS_WORKERS).toBe(1);
    expect(loadConfig(['RECORDS_WORKERS'], { RECORDS_WORKERS: '2' }).RECORDS_WORKERS).toBe(2);
    for (const bad of ['0', '65', 'two', '1.5']) {
      expect(() => loadConfig(['RECORDS_WORKERS'], { RECORDS_WORKERS: bad })).toThrowError(
        `RECORDS_WORKERS="${bad}" is not valid: expected a whole number from 1 to 64`,
      );
    }
  });

  it('reports every bad variable at once and hides secrets', () => {
    try {
      loadConfig(['SIGNALING_PORT', 'SFU_ENGINE', 'SFU_CONTROL_SECRET'], {
        SIGNALING_PORT: '-1',
        SFU_ENGINE: 'janus',
        SFU_CONTROL_SECRET: 'short-secret-value',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(3);
      expect(problems[1]).toContain('expected one of auto, mediasoup, werift');
      expect(problems[2]).toContain('SFU_CONTROL_SECRET=(hidden)');
      expect((error as Error).message).not.toContain('short-secret-value');
    }
  });

  it('requires required variables and leaves optional ones undefined', () => {
    expect(() => loadConfig(['SFU_CONTROL_SECRET'], {})).toThrowError(/SFU_CONTROL_SECRET is required/);
    expect(loadConfig(['MONGODB_URI'], {}).MONGODB_URI).toBeUndefined();
    expect(loadConfig(['MONGODB_URI'], { MONGODB_URI: '' }).MONGODB_URI).toBeUndefined();
  });

  it('splits TURN_URLS and rejects non-TURN schemes', () => {
    expect(loadConfig(['TURN_URLS'], { TURN_URLS: 'turn:a:3478, turns:b:5349' }).TURN_URLS).toEqual([
      'turn:a:3478',
      'turns:b:5349',
    ]);
    expect(() => loadConfig(['TURN_URLS'], { TURN_URLS: 'http://x' })).toThrowError(/TURN_URLS/);
  });

  it('takes FHIR_PUBLIC_URL as an http(s) URL without its trailing slash', () => {
    expect(loadConfig(['FHIR_PUBLIC_URL'], {}).FHIR_PUBLIC_URL).toBeUndefined();
    expect(
      loadConfig(['FHIR_PUBLIC_URL'], { FHIR_PUBLIC_URL: 'https://fhir.hospital.example/records/' })
        .FHIR_PUBLIC_URL,
    ).toBe('https://fhir.hospital.example/records');
    for (const bad of ['fhir.hospital.example', 'ftp://x', 'https://x/records?a=1']) {
      expect(() => loadConfig(['FHIR_PUBLIC_URL'], { FHIR_PUBLIC_URL: bad })).toThrowError(
        /FHIR_PUBLIC_URL=.* is not valid: expected an http\(s\) URL without a query/,
      );
    }
  });

  it('documents every variable with a description and an expected form', () => {
    for (const [name, spec] of Object.entries(configVariables)) {
      expect(spec.description, name).not.toBe('');
      expect(spec.expected, name).not.toBe('');
      if (spec.default !== undefined) expect(spec.schema.safeParse(spec.default).success, name).toBe(true);
    }
  });
});
