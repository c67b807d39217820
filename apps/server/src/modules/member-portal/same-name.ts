/**
 * Whether the name a guest typed is the name on a member record, tolerant of how the same name gets typed: spaces,
 * full-width letters (Ｗａｎｇ), letter case, the order of family and given name in Latin script, and Traditional vs
 * Simplified forms of the same character (鄭淑芬 / 郑淑芬). It is not tolerant of a different name: one character
 * off is another person, and binding then goes to staff review.
 *
 * The Traditional→Simplified table is deliberately small: characters common in names in Taiwan whose Simplified form
 * is not itself a different character used in Taiwanese names. Pairs such as 傑/杰, 鐘/钟(鍾), 於/于, 範/范, 後/后,
 * 豐/丰, 徵/征, 週/周, 鬱/郁, 鬆/松, 蕓/芸 are left out: in Taiwan both forms are names of their own, so treating them as one would
 * bind a guest to someone else. A pair the table lacks only sends the guest to review, where a person decides.
 */
const TRADITIONAL = '鄭陳張劉黃楊趙吳許謝葉蘇莊呂賴羅盧蕭馮韓鄧龔顏錢嚴歐陽孫馬蔣譚鄒鄔賈閔陸龐齊魯藍蘭簡聶萬華偉國東龍鳳麗嬌穎儀鈴瑩賢權強榮興禮義樂寶貴發財廣進順銘鋒濤輝軍紅紀純絲綺維緯聖聰蓮藝愛憶懷書會曉曄學寧實將嶺帥師彥從慶憲愷時晉構樺樹橋歡歲溫滿漢潔潤澤濱煒燁爾瑋環瓊產碩禎禕紹絹經綠緒總繼聯臺協單圓堅夢姍嫻宮寬嵐應揚詩誠語諾謙貞賓資贊輔農連運達遠鈞鈺銀錦鎮長門開雙電靈靜韋韻頌顧風飛騰驊鳴鴻鵬鶴麥葦億倫傳凱勳勵勝團堯壽奧婭嬋岡崢巒彙彌徑恆悅態懇摯擇敘斕曆曇棟櫻氣決沖淵渙湧濃灣爍琺瑤璦畢畫皚盞睞穌筆築節篤糧紳紛終綢綾緗緹縈縝繡罷聲膚艷蒼蔭薈蘊處虛蟬衛裝覓覺親誼諭謠譜豔貝賽趕躍輕輩轎辦遙邁鄉釗鉅銓鋼錚鍵鐵閣闊隊際險隱隸雋雛難雞霽韜頂項須頤頻顥颯馳駿騏驍體鯨鵑鸞齡';
const SIMPLIFIED = '郑陈张刘黄杨赵吴许谢叶苏庄吕赖罗卢萧冯韩邓龚颜钱严欧阳孙马蒋谭邹邬贾闵陆庞齐鲁蓝兰简聂万华伟国东龙凤丽娇颖仪铃莹贤权强荣兴礼义乐宝贵发财广进顺铭锋涛辉军红纪纯丝绮维纬圣聪莲艺爱忆怀书会晓晔学宁实将岭帅师彦从庆宪恺时晋构桦树桥欢岁温满汉洁润泽滨炜烨尔玮环琼产硕祯祎绍绢经绿绪总继联台协单圆坚梦姗娴宫宽岚应扬诗诚语诺谦贞宾资赞辅农连运达远钧钰银锦镇长门开双电灵静韦韵颂顾风飞腾骅鸣鸿鹏鹤麦苇亿伦传凯勋励胜团尧寿奥娅婵冈峥峦汇弥径恒悦态恳挚择叙斓历昙栋樱气决冲渊涣涌浓湾烁珐瑶瑷毕画皑盏睐稣笔筑节笃粮绅纷终绸绫缃缇萦缜绣罢声肤艳苍荫荟蕴处虚蝉卫装觅觉亲谊谕谣谱艳贝赛赶跃轻辈轿办遥迈乡钊钜铨钢铮键铁阁阔队际险隐隶隽雏难鸡霁韬顶项须颐频颢飒驰骏骐骁体鲸鹃鸾龄';

const TO_SIMPLIFIED = new Map<string, string>();
{
  const from = [...TRADITIONAL];
  const to = [...SIMPLIFIED];
  if (from.length !== to.length) throw new Error(`same-name table: ${from.length} Traditional vs ${to.length} Simplified characters`);
  from.forEach((t, i) => TO_SIMPLIFIED.set(t, to[i]!));
}

/** One spelling of a name: NFKC (full-width → half-width), no spaces or middle dots, lower case, one Chinese form. */
export function normaliseName(name: string): string {
  return [...name.normalize('NFKC').replace(/[\s·・.,'’\-‧]/gu, '').toLowerCase()].map((c) => TO_SIMPLIFIED.get(c) ?? c).join('');
}

type Name = { lastName?: string | null | undefined; firstName?: string | null | undefined };

/** Family name first (王小明) or, as Latin names are often typed, given name first (John Smith). */
export function isSameName(typed: Name, member: Name): boolean {
  const last = normaliseName(typed.lastName ?? '');
  const first = normaliseName(typed.firstName ?? '');
  const known = normaliseName(`${member.lastName ?? ''}${member.firstName ?? ''}`);
  if (!known || !(last + first)) return false;
  return known === last + first || known === first + last;
}

export function hasName(name: Name): boolean {
  return normaliseName(`${name.lastName ?? ''}${name.firstName ?? ''}`) !== '';
}
