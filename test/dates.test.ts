import { describe, expect, it } from 'vitest';
import { findStatedDate, normaliseIsoDate } from '../src/core/text/dates.js';

describe('findStatedDate', () => {
  it('keeps a day and month without a year as text only', () => {
    expect(findStatedDate('Hanoi, 25 juillet(VNA) – Le ministre')).toEqual({ date: null, dateText: '25 juillet' });
    expect(findStatedDate('en visite du 20 au 22 octobre.')).toEqual({ date: null, dateText: 'du 20 au 22 octobre' });
  });

  it('normalises a full date', () => {
    expect(findStatedDate('visite les 23 et 24 octobre 2025.')).toEqual({ date: '2025-10-23', dateText: 'les 23 et 24 octobre 2025' });
    expect(findStatedDate('signé le 17 octobre 2022 un protocole')).toEqual({ date: '2022-10-17', dateText: 'le 17 octobre 2022' });
    expect(findStatedDate('le 1er mai 2024')).toEqual({ date: '2024-05-01', dateText: 'le 1er mai 2024' });
  });

  it('reads a month and year', () => {
    expect(findStatedDate('adoptée en décembre 2024, la Convention')).toEqual({ date: '2024-12', dateText: 'en décembre 2024' });
  });

  it('takes the first date stated, preferring one with a year', () => {
    expect(findStatedDate('en juin 2017 puis le 25 juillet')?.dateText).toBe('en juin 2017');
    expect(findStatedDate("l'après-midi du 23 octobre, visite les 23 et 24 octobre 2025")).toEqual({ date: '2025-10-23', dateText: 'les 23 et 24 octobre 2025' });
    expect(findStatedDate('le 24 avril puis le 25 avril')?.dateText).toBe('le 24 avril');
  });

  it('finds nothing where no date is stated', () => {
    expect(findStatedDate('Le ministre a parlé de 12 pays.')).toBeNull();
    expect(findStatedDate('la période 2016-2018')).toBeNull();
  });
});

describe('normaliseIsoDate', () => {
  it('accepts YYYY-MM and YYYY-MM-DD only', () => {
    expect(normaliseIsoDate('2025-10')).toBe('2025-10');
    expect(normaliseIsoDate('2025-10-25')).toBe('2025-10-25');
    expect(normaliseIsoDate('2025-13')).toBeNull();
    expect(normaliseIsoDate('octobre')).toBeNull();
  });
});
