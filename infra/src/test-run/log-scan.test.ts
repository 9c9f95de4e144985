import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findLogLeaks, scanLogDir } from './log-scan';

const SECRET = 'hF3kLq9ZpR2xVt7sWm4n';

describe('log scan', () => {
  it.each([
    ['a full phone number', '{"msg":"texting +12125550123"}'],
    ['a full phone number', '{"url":"/v2/callers/%2B12125550123"}'],
    ["a thread id's full phone digits", '{"thread_id":"customer_4_user_12125550123"}'],
    ['a signed token (JWT)', '{"err":"bad Bearer eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJnYXRld2F5In0.c2lnbmF0dXJlLWJ5dGVz"}'],
    ['a TTS audio token', '{"url":"/audio/Zm9vYmFyYmF6cXV4"}'],
    ['a link token (invitation, reset)', '{"link":"https://console.example/reset#token=Zm9vYmFyYmF6cXV4"}'],
    ['a secret of this run', `{"msg":"key ${SECRET} loaded"}`],
  ])('finds %s', (what, line) => {
    expect(findLogLeaks(line, [SECRET]).map((leak) => leak.what)).toEqual([what]);
  });

  it('passes what the loggers write after redaction, and never echoes a secret', () => {
    const clean =
      '{"url":"/v2/callers/+1212***0123?to=+4477***0123","thread_id":"customer_4_user_1212***0123","audio":"/audio/[REDACTED]","time":"2026-12-05T21:30:00+01:00"}';
    expect(findLogLeaks(clean, [SECRET])).toEqual([]);
    const [leak] = findLogLeaks(`{"msg":"key ${SECRET}"}`, [SECRET]);
    expect(leak?.excerpt).toBe('{"msg":"key <secret>');
  });

  it('reads every .jsonl file of a directory, naming the file and line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'log-scan-'));
    try {
      writeFileSync(path.join(dir, '101.jsonl'), '{"msg":"ok"}\n{"msg":"call from +12125550123"}\n');
      writeFileSync(path.join(dir, '102.jsonl'), '{"msg":"ok"}\n');
      writeFileSync(path.join(dir, 'notes.txt'), '+12125550123\n');
      const scan = scanLogDir(dir, []);
      expect(scan).toMatchObject({ files: 2, lines: 3 });
      expect(scan.leaks.map((leak) => [leak.file, leak.line, leak.what])).toEqual([['101.jsonl', 2, 'a full phone number']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(scanLogDir(dir, [])).toEqual({ files: 0, lines: 0, leaks: [] });
  });
});
