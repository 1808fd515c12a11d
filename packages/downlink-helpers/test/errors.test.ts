import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { DownlinkError, hexToBytes } from '../src/index.js';
import { expectDownlinkError } from './helpers.js';

describe('DownlinkError', () => {
  it('carries code, field, position and a message starting with the field', () => {
    const error = expectDownlinkError(() => hexToBytes('01 0g'), 'INVALID_HEX', 'hex', 4);
    expect(error.message).toBe('hex: invalid hex digit "g" at position 4');
    expect(error.name).toBe('DownlinkError');
    expect(error).toBeInstanceOf(Error);
  });

  it('serialises to plain data', () => {
    const error = new DownlinkError('CODEC_ERROR', 'codec', 'failed', { details: ['a', 'b'] });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'DownlinkError',
      code: 'CODEC_ERROR',
      field: 'codec',
      message: 'codec: failed',
      details: ['a', 'b'],
    });
  });

  it('is recognised across two copies of the module (ESM and CJS builds side by side)', async () => {
    vi.resetModules();
    // A query string makes the module loader evaluate a second, independent copy.
    const copy = '../src/errors.js?copy=1';
    const other = (await import(/* @vite-ignore */ copy)) as typeof import('../src/errors.js');
    expect(other.DownlinkError).not.toBe(DownlinkError);
    const foreign = new other.DownlinkError('INVALID_HEX', 'hex', 'bad');
    expect(foreign).toBeInstanceOf(DownlinkError);
    expect(new DownlinkError('INVALID_HEX', 'hex', 'bad')).toBeInstanceOf(other.DownlinkError);
  });

  it('does not claim other errors or look-alike objects', () => {
    expect(new Error('x')).not.toBeInstanceOf(DownlinkError);
    expect({ code: 'INVALID_HEX', field: 'hex', name: 'DownlinkError' }).not.toBeInstanceOf(
      DownlinkError,
    );
    expect(null).not.toBeInstanceOf(DownlinkError);
    expect('DownlinkError').not.toBeInstanceOf(DownlinkError);
  });

  it('keeps the brand out of enumerable properties and inspect output stays readable', () => {
    const error = new DownlinkError('INVALID_FPORT', 'fPort', 'bad');
    expect(Object.keys(error)).toEqual(['code', 'field', 'position', 'details']);
    expect(inspect(error)).toContain("code: 'INVALID_FPORT'");
  });

  it('keeps name writable, as Error does, without changing other instances', () => {
    const error = new DownlinkError('INVALID_HEX', 'hex', 'bad');
    error.name = 'Renamed';
    expect(error.name).toBe('Renamed');
    expect(new DownlinkError('INVALID_HEX', 'hex', 'bad').name).toBe('DownlinkError');
    expect(String(new DownlinkError('INVALID_HEX', 'hex', 'bad'))).toBe('DownlinkError: hex: bad');
  });
});
