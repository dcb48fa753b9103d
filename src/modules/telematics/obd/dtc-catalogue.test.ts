import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_DTC_DATA_DIR,
  buildDtcCatalogue,
  dtcCatalogueAttribution,
  loadDtcCatalogue,
  parseDtcdbCsv,
  parseObdiiCodesJson,
  repairLostQuotes,
} from './dtc-catalogue.js';

const OBDII_JSON = JSON.stringify([
  { Code: 'P0000/SAE', Description: 'Reserved' },
  { Code: 'P0005', Description: 'Fuel Shutoff ValveAControl Circuit/Open' },
  { Code: 'P000A', Description: ' ACamshaft Position Slow Response Bank 1' },
  { Code: 'P0005', Description: 'duplicate, ignored' },
  { Code: 'P031A', Description: 'P031B, P031C ISO/SAE Reserved' },
  { Code: 'P0300', Description: 'Random/Multiple Cylinder Misfire Detected' },
  { Code: 'P340A,', Description: 'P340B ISO/SAE Reserved' },
  { Code: 'P0504', Description: 'Brake SwitchA / BCorrelation' },
  { Code: 7, Description: 'not a code' },
]);

const DTCDB_CSV = [
  'dtc, description',
  '',
  'DTC Codes - P0100-P0199 – Fuel and Air Metering',
  '',
  'P0104,Mass or Volume Air Flow Circuit Intermittent',
  'P0109,Manifold Absolute Pressure/Barometric Pressure Circuit Intermittent',
  'P0109,Intake Air Temperature Circuit Malfunction',
  'P0251,Injection Pump Fuel Metering Control "A" Malfunction (Cam/Rotor/Injector)',
  'P0300,Random/Multiple Cylinder Misfire Detected (dtcdb)',
  'P0420,Catalyst System Efficiency Below Threshold (Bank I)',
].join('\r\n');

describe('source parsers', () => {
  it('OBDIICodes: well-formed codes only, first wins, reserved rows dropped, quotes repaired', () => {
    expect([...parseObdiiCodesJson(OBDII_JSON)]).toEqual([
      ['P0005', 'Fuel Shutoff Valve "A" Control Circuit/Open'],
      ['P000A', '"A" Camshaft Position Slow Response Bank 1'],
      ['P0300', 'Random/Multiple Cylinder Misfire Detected'],
      ['P0504', 'Brake Switch "A" / "B" Correlation'],
    ]);
    expect(parseObdiiCodesJson('{"not":"an array"}').size).toBe(0);
  });

  it('repairs lost quotes without touching ordinary words', () => {
    expect(repairLostQuotes('Turbocharger Boost ControlACircuit Range/Performance')).toBe(
      'Turbocharger Boost Control "A" Circuit Range/Performance',
    );
    expect(repairLostQuotes('Range SensorBCircuit Low ')).toBe('Range Sensor "B" Circuit Low');
    expect(repairLostQuotes('Control SolenoidKStuck On')).toBe('Control Solenoid "K" Stuck On');
    expect(repairLostQuotes('Exhaust Pressure SensorA')).toBe('Exhaust Pressure Sensor "A"');
    expect(repairLostQuotes('ECM/PCM Processor (NOx) Bank 1')).toBe('ECM/PCM Processor (NOx) Bank 1');
  });

  it('dtcdb: data rows only, first wins, "Bank I" fixed, inner quotes kept', () => {
    expect([...parseDtcdbCsv(DTCDB_CSV)]).toEqual([
      ['P0104', 'Mass or Volume Air Flow Circuit Intermittent'],
      ['P0109', 'Manifold Absolute Pressure/Barometric Pressure Circuit Intermittent'],
      ['P0251', 'Injection Pump Fuel Metering Control "A" Malfunction (Cam/Rotor/Injector)'],
      ['P0300', 'Random/Multiple Cylinder Misfire Detected (dtcdb)'],
      ['P0420', 'Catalyst System Efficiency Below Threshold (Bank 1)'],
    ]);
  });
});

describe('catalogue', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pitlane-dtc-'));
    await writeFile(join(dir, 'OBDIICodes_codes.json'), OBDII_JSON);
    await writeFile(join(dir, 'dtcdb_generic.csv'), DTCDB_CSV);
    await writeFile(join(dir, 'LICENSE.dtcdb.txt'), 'The MIT License (MIT)\n\nCopyright (c) 2013 trobbins\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('merges sources by precedence and classifies each code', async () => {
    const catalogue = await loadDtcCatalogue(dir);
    expect(catalogue.lookup('P0300')).toEqual({
      code: 'P0300',
      description: 'Random/Multiple Cylinder Misfire Detected',
      system: 'powertrain',
      severity: 'critical',
      source: 'OBDIICodes',
    });
    expect(catalogue.lookup('p0104 ')).toMatchObject({ source: 'dtcdb', severity: 'medium' });
    expect(catalogue.lookup('P0420')).toMatchObject({ source: 'dtcdb', severity: 'high' });
    expect(catalogue.lookup('U0100')).toMatchObject({
      system: 'network',
      severity: 'high',
      source: 'pitlane',
    });
    expect(catalogue.lookup('C0035')).toMatchObject({ system: 'chassis', severity: 'critical' });
    expect(catalogue.lookup('P0001')).toBeUndefined();
    expect(catalogue.lookup('nonsense')).toBeUndefined();
    expect(catalogue.size).toBe(catalogue.entries().length);
    expect(catalogue.entries()[0]?.code).toBe('C0035');
  });

  it('keeps the attribution and licence text of what it loaded', async () => {
    const catalogue = await loadDtcCatalogue(dir);
    expect(catalogue.attribution).toContain('fabiovila/OBDIICodes');
    expect(catalogue.attribution).toContain('Copyright (c) 2013 trobbins');
    expect(dtcCatalogueAttribution()).toMatch(/OBDIICodes.*\n.*dtcdb/);
  });

  it('rejects a directory without data, naming it', async () => {
    const missing = join(dir, 'nope');
    await expect(loadDtcCatalogue(missing)).rejects.toThrow(missing);
  });

  it('buildDtcCatalogue is usable without files', () => {
    const catalogue = buildDtcCatalogue(
      [{ source: 'pitlane', codes: new Map([['P0524', 'Oil pressure low']]) }],
      'test',
    );
    expect(catalogue.lookup('P0524')).toMatchObject({
      severity: 'critical',
      description: 'Oil pressure low',
    });
  });
});

describe('shared data (../shared/data/obd-dtc)', () => {
  const present = existsSync(join(DEFAULT_DTC_DATA_DIR, 'OBDIICodes_codes.json'));
  if (!present) console.warn(`Skipping shared DTC data test: ${DEFAULT_DTC_DATA_DIR} is missing`);

  it.skipIf(!present)('loads the generic codes from the shared data', async () => {
    const catalogue = await loadDtcCatalogue();
    expect(catalogue.size).toBeGreaterThan(2000);
    expect(catalogue.lookup('P0104')?.description).toMatch(/Mass or Volume Air Flow.*Circuit Intermittent/);
    expect(catalogue.lookup('P0171')).toMatchObject({
      description: 'System too Lean (Bank 1)',
      severity: 'high',
    });
    expect(catalogue.lookup('P0300')).toMatchObject({ severity: 'critical' });
    expect(catalogue.lookup('P0420')).toMatchObject({
      description: 'Catalyst System Efficiency Below Threshold (Bank 1)',
    });
    expect(catalogue.lookup('P0442')).toMatchObject({ severity: 'low' });
    expect(catalogue.lookup('P0601')).toMatchObject({ source: 'dtcdb' });
    expect(catalogue.attribution).toContain('Permission is hereby granted');
    for (const entry of catalogue.entries()) {
      expect(entry.description).not.toMatch(/ISO\/SAE Reserved|^\s|\s$/);
    }
  });
});
