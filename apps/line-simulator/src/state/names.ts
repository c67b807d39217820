import { stableFloat, stableHex } from './random.ts';

// Guests of Taiwanese hotels are mostly local, with some visitors from Japan, Hong Kong and the West;
// the mix makes the demo chat list look plausible.
const SURNAMES = ['陳', '林', '黃', '張', '李', '王', '吳', '劉', '蔡', '楊', '許', '鄭', '謝', '洪', '郭', '邱', '曾', '廖', '賴', '周'];
const GIVEN = ['怡君', '志明', '雅婷', '家豪', '淑芬', '俊傑', '佳穎', '冠宇', '宜蓁', '承翰', '詩涵', '建宏', '欣怡', '柏翰', '美玲', '宗翰', '郁婷', '信宏', '思妤', '彥廷'];
const OTHER = ['Emily Chen', 'Kenji Sato', 'Yuki Tanaka', 'Michael Wong', 'Sarah Lee', 'David Lin', 'Anna Müller', 'Tom Baker', 'Mei Ling', 'Haruka Ito'];
const STATUS = ['', '出發去旅行 ✈️', '喜歡泡湯', 'Coffee first ☕', '週末去花蓮', '', '美食家', 'Live, laugh, travel'];
const AREAS = ['tw_01', 'tw_01', 'tw_02', 'tw_03', 'tw_04', 'tw_05', 'tw_06', 'tw_08', 'tw_12', 'tw_14', 'tw_16', 'tw_17'];
const AGES = ['age_15', 'age_20', 'age_25', 'age_30', 'age_35', 'age_40', 'age_45', 'age_50', 'age_60', 'age_70'];

export type Persona = {
  displayName: string;
  statusMessage: string | null;
  language: string;
  gender: 'male' | 'female';
  age: string;
  area: string;
  appType: 'ios' | 'android' | 'pc';
  avatarColor: string;
};

export function personaFor(key: string): Persona {
  const pick = <T>(list: readonly T[], salt: string): T => list[Math.floor(stableFloat(`${key}:${salt}`) * list.length)]!;
  const foreign = stableFloat(`${key}:foreign`) < 0.2;
  const displayName = foreign ? pick(OTHER, 'other') : pick(SURNAMES, 'surname') + pick(GIVEN, 'given');
  const status = pick(STATUS, 'status');
  return {
    displayName,
    statusMessage: status === '' ? null : status,
    language: foreign ? (displayName.includes('Sato') || displayName.includes('Tanaka') || displayName.includes('Ito') ? 'ja' : 'en') : 'zh-TW',
    gender: stableFloat(`${key}:gender`) < 0.52 ? 'female' : 'male',
    age: pick(AGES, 'age'),
    area: pick(AREAS, 'area'),
    appType: stableFloat(`${key}:app`) < 0.55 ? 'ios' : 'android',
    avatarColor: `#${stableHex(`${key}:color`, 6)}`,
  };
}
