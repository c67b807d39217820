import type { Rng } from './random.ts';

/**
 * Names as Taiwanese hotels see them. Family names with rough shares of Taiwan's population (the top ones cover
 * about 80%) and the Wade-Giles spelling passports and OTAs use; given-name characters with theirs.
 */
const SURNAMES: ReadonlyArray<readonly [string, string, number]> = [
  ['陳', 'CHEN', 11.1], ['林', 'LIN', 8.3], ['黃', 'HUANG', 6.0], ['張', 'CHANG', 5.3], ['李', 'LI', 5.1], ['王', 'WANG', 4.1],
  ['吳', 'WU', 4.0], ['劉', 'LIU', 3.2], ['蔡', 'TSAI', 2.9], ['楊', 'YANG', 2.7], ['許', 'HSU', 2.3], ['鄭', 'CHENG', 1.9],
  ['謝', 'HSIEH', 1.8], ['洪', 'HUNG', 1.5], ['郭', 'KUO', 1.5], ['邱', 'CHIU', 1.4], ['曾', 'TSENG', 1.4], ['廖', 'LIAO', 1.3],
  ['賴', 'LAI', 1.3], ['徐', 'HSU', 1.2], ['周', 'CHOU', 1.2], ['葉', 'YEH', 1.1], ['蘇', 'SU', 1.1], ['莊', 'CHUANG', 0.9],
  ['呂', 'LU', 0.9], ['江', 'CHIANG', 0.9], ['何', 'HO', 0.8], ['蕭', 'HSIAO', 0.8], ['羅', 'LO', 0.8], ['高', 'KAO', 0.7],
  ['潘', 'PAN', 0.6], ['簡', 'CHIEN', 0.6], ['朱', 'CHU', 0.6], ['鍾', 'CHUNG', 0.6], ['游', 'YU', 0.5], ['彭', 'PENG', 0.5],
  ['詹', 'CHAN', 0.5], ['施', 'SHIH', 0.4], ['胡', 'HU', 0.4], ['沈', 'SHEN', 0.4], ['余', 'YU', 0.4], ['盧', 'LU', 0.4],
  ['梁', 'LIANG', 0.4], ['趙', 'CHAO', 0.4], ['顏', 'YEN', 0.4], ['柯', 'KO', 0.4], ['翁', 'WENG', 0.3], ['魏', 'WEI', 0.3],
  ['孫', 'SUN', 0.3], ['戴', 'TAI', 0.3], ['范', 'FAN', 0.3], ['方', 'FANG', 0.3], ['宋', 'SUNG', 0.3], ['鄧', 'TENG', 0.3],
  ['杜', 'TU', 0.2], ['傅', 'FU', 0.2], ['侯', 'HOU', 0.2], ['曹', 'TSAO', 0.2], ['薛', 'HSUEH', 0.2], ['丁', 'TING', 0.2],
  ['卓', 'CHO', 0.2], ['阮', 'JUAN', 0.2], ['馬', 'MA', 0.2], ['董', 'TUNG', 0.2], ['溫', 'WEN', 0.2], ['唐', 'TANG', 0.2],
  ['藍', 'LAN', 0.2], ['石', 'SHIH', 0.2], ['蔣', 'CHIANG', 0.2], ['古', 'KU', 0.2], ['紀', 'CHI', 0.2], ['姚', 'YAO', 0.2],
  ['連', 'LIEN', 0.1], ['馮', 'FENG', 0.1], ['歐陽', 'OUYANG', 0.05], ['張簡', 'CHANGCHIEN', 0.03], ['范姜', 'FANCHIANG', 0.02],
];

const MALE: ReadonlyArray<readonly [string, string]> = [
  ['志', 'CHIH'], ['明', 'MING'], ['家', 'CHIA'], ['豪', 'HAO'], ['建', 'CHIEN'], ['宏', 'HUNG'], ['俊', 'CHUN'], ['傑', 'CHIEH'],
  ['文', 'WEN'], ['冠', 'KUAN'], ['宇', 'YU'], ['承', 'CHENG'], ['恩', 'EN'], ['柏', 'PO'], ['翰', 'HAN'], ['宗', 'TSUNG'],
  ['信', 'HSIN'], ['國', 'KUO'], ['華', 'HUA'], ['瑋', 'WEI'], ['哲', 'CHE'], ['偉', 'WEI'], ['彥', 'YEN'], ['廷', 'TING'],
  ['凱', 'KAI'], ['育', 'YU'], ['翔', 'HSIANG'], ['仁', 'JEN'], ['德', 'TE'], ['維', 'WEI'], ['榮', 'JUNG'], ['政', 'CHENG'],
  ['毅', 'YI'], ['勝', 'SHENG'], ['峰', 'FENG'], ['昌', 'CHANG'], ['源', 'YUAN'], ['民', 'MIN'], ['輝', 'HUI'], ['賢', 'HSIEN'],
];
const FEMALE: ReadonlyArray<readonly [string, string]> = [
  ['雅', 'YA'], ['婷', 'TING'], ['怡', 'YI'], ['君', 'CHUN'], ['淑', 'SHU'], ['芬', 'FEN'], ['美', 'MEI'], ['惠', 'HUI'],
  ['玲', 'LING'], ['佳', 'CHIA'], ['穎', 'YING'], ['秀', 'HSIU'], ['英', 'YING'], ['麗', 'LI'], ['娟', 'CHUAN'], ['欣', 'HSIN'],
  ['妤', 'YU'], ['子', 'TZU'], ['晴', 'CHING'], ['庭', 'TING'], ['嘉', 'CHIA'], ['慧', 'HUI'], ['芳', 'FANG'], ['心', 'HSIN'],
  ['詠', 'YUNG'], ['品', 'PIN'], ['安', 'AN'], ['琪', 'CHI'], ['涵', 'HAN'], ['思', 'SSU'], ['瑜', 'YU'], ['筱', 'HSIAO'],
  ['萱', 'HSUAN'], ['宜', 'YI'], ['蓁', 'CHEN'], ['珮', 'PEI'], ['琳', 'LIN'], ['靜', 'CHING'], ['月', 'YUEH'], ['鳳', 'FENG'],
];

export type ChineseName = { surname: string; given: string; surnameLatin: string; givenLatin: string };

export function chineseName(rng: Rng, gender: 'M' | 'F', surname?: readonly [string, string]): ChineseName {
  const s = surname ?? pickSurname(rng);
  const pool = gender === 'M' ? MALE : FEMALE;
  const chars = rng.chance(0.06) ? [rng.pick(pool)] : [rng.pick(pool), rng.pick(pool)];
  if (chars.length === 2 && chars[0]![0] === chars[1]![0] && rng.chance(0.7)) chars[1] = rng.pick(pool);
  return {
    surname: s[0],
    given: chars.map((c) => c[0]).join(''),
    surnameLatin: s[1],
    // Passports hyphenate the given name's syllables: HSIAO-MING.
    givenLatin: chars.map((c) => c[1]).join('-'),
  };
}

const SURNAME_ENTRIES = SURNAMES.map(([h, l, w]) => [[h, l] as const, w] as const);

export function pickSurname(rng: Rng): readonly [string, string] {
  return rng.weighted(SURNAME_ENTRIES);
}

const FOREIGN: Record<string, { last: readonly string[]; first: readonly string[] }> = {
  JPN: { last: ['TANAKA', 'SATO', 'SUZUKI', 'TAKAHASHI', 'WATANABE', 'ITO', 'YAMAMOTO', 'NAKAMURA', 'KOBAYASHI', 'KATO'], first: ['YUKI', 'HARUTO', 'SAKURA', 'REN', 'AOI', 'HINATA', 'SOTA', 'YUI', 'KENJI', 'MISAKI'] },
  KOR: { last: ['KIM', 'LEE', 'PARK', 'CHOI', 'JUNG', 'KANG', 'CHO', 'YOON', 'JANG', 'LIM'], first: ['MINJUN', 'SEOYEON', 'JIHO', 'HAEUN', 'DOYUN', 'JIWOO', 'SUMIN', 'YEJIN', 'HYUNWOO', 'EUNJI'] },
  USA: { last: ['SMITH', 'JOHNSON', 'WILLIAMS', 'BROWN', 'JONES', 'MILLER', 'DAVIS', 'GARCIA', 'WILSON', 'TAYLOR'], first: ['JOHN', 'EMILY', 'MICHAEL', 'SARAH', 'DAVID', 'JESSICA', 'JAMES', 'ASHLEY', 'ROBERT', 'LAURA'] },
  MYS: { last: ['TAN', 'LIM', 'LEE', 'NG', 'WONG', 'CHAN', 'ONG', 'TEO', 'GOH', 'CHUA'], first: ['WEI MING', 'MEI LING', 'KAH HOE', 'SIEW LAN', 'CHEE KEONG', 'LI YING', 'JUN HAO', 'HUI MIN', 'BOON KIAT', 'XIN YI'] },
  VNM: { last: ['NGUYEN', 'TRAN', 'LE', 'PHAM', 'HOANG', 'VU', 'DANG', 'BUI', 'DO', 'HO'], first: ['THI LAN', 'VAN NAM', 'THI HOA', 'MINH TUAN', 'THI MAI', 'VAN HUNG', 'NGOC ANH', 'DUC MINH', 'THU HUONG', 'QUANG HAI'] },
  IDN: { last: ['SANTOSO', 'WIJAYA', 'SAPUTRA', 'HIDAYAT', 'KUSUMA', 'PRATAMA', 'SETIAWAN', 'LESTARI', 'WATI', 'NUGROHO'], first: ['SITI', 'BUDI', 'DEWI', 'AGUS', 'RINA', 'ADI', 'PUTRI', 'RIZKY', 'INDAH', 'EKO'] },
  PHL: { last: ['SANTOS', 'REYES', 'CRUZ', 'BAUTISTA', 'OCAMPO', 'GARCIA', 'MENDOZA', 'TORRES', 'FLORES', 'RAMOS'], first: ['MARIA', 'JOSE', 'ANGELICA', 'MARK', 'KRISTINE', 'JOHN PAUL', 'JOY', 'RICARDO', 'CHERRY', 'ARNEL'] },
};

export const FOREIGN_COUNTRIES = ['JPN', 'KOR', 'USA', 'MYS'] as const;
export const RESIDENT_COUNTRIES = ['VNM', 'IDN', 'PHL', 'JPN', 'MYS'] as const;

export function foreignName(rng: Rng, country: string): { last: string; first: string } {
  const pool = FOREIGN[country] ?? FOREIGN['USA']!;
  return { last: rng.pick(pool.last), first: rng.pick(pool.first) };
}

/** Nicknames and English names members type instead of their legal name. */
export const NICKNAMES = ['小美', '阿明', 'Amy', 'Kevin', 'Jenny', 'Eric', '小胖', 'Vivian', 'Jason', '阿華', 'Cindy', 'Tony'] as const;
