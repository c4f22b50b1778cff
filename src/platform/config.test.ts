import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { serverSettingsFor } from './db/embedded-postgres.ts';

const GiB = 1024 ** 3;

describe('the embedded PostgreSQL sized for the machine', () => {
  it('gives a quarter of the memory to buffers, at most 8 GB, and never less than PostgreSQL would', () => {
    expect(serverSettingsFor(24 * GiB)).toMatchObject({
      shared_buffers: '6144MB',
      maintenance_work_mem: '1024MB',
      work_mem: '32MB',
      max_wal_size: '4096MB',
      checkpoint_timeout: '15min',
    });
    expect(serverSettingsFor(2 * GiB)).toMatchObject({
      shared_buffers: '512MB',
      maintenance_work_mem: '128MB',
      work_mem: '4MB',
      max_wal_size: '1024MB',
    });
    expect(serverSettingsFor(256 * GiB).shared_buffers).toBe('8192MB');
    expect(serverSettingsFor(0.25 * GiB).shared_buffers).toBe('128MB');
  });

  it('reads PATRON_POSTGRES_SETTINGS as name=value pairs, and names the part it cannot read', () => {
    expect(loadConfig({}).postgresSettings).toEqual({});
    expect(
      loadConfig({ PATRON_POSTGRES_SETTINGS: 'Shared_Buffers = 2GB;work_mem=16MB\nauto_explain.log_min_duration=1s;' })
        .postgresSettings,
    ).toEqual({ shared_buffers: '2GB', work_mem: '16MB', 'auto_explain.log_min_duration': '1s' });
    expect(() => loadConfig({ PATRON_POSTGRES_SETTINGS: 'work_mem=16MB; 2GB' })).toThrow(ConfigError);
    expect(() => loadConfig({ PATRON_POSTGRES_SETTINGS: 'work_mem=16MB; 2GB' })).toThrow(
      'PATRON_POSTGRES_SETTINGS: "2GB" is not name=value',
    );
  });
});
