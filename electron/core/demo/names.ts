/** Name pools for the synthetic demo roster. Every name is invented from common given and family names. */

/** Chinese names: [Han, family pinyin, given pinyin]. The first three echo the Open Day report's speakers. */
export const chineseNames: ReadonlyArray<[string, string, string]> = [
  ['刘青', 'Liu', 'Qing'],
  ['陆敏', 'Lu', 'Min'],
  ['谭瑞聪', 'Tan', 'Ruicong'],
];

/** Fixed guests 3–5, so that demos and tests can rely on an umlaut, an accent and an ß. */
export const fixedLatinNames: ReadonlyArray<[string, string]> = [
  ['Anna', 'Müller'],
  ['José', 'García'],
  ['Jürgen', 'Weiß'],
];

export const chineseFamilies: ReadonlyArray<[string, string]> = [
  ['王', 'Wang'], ['李', 'Li'], ['张', 'Zhang'], ['刘', 'Liu'], ['陈', 'Chen'], ['杨', 'Yang'], ['黄', 'Huang'],
  ['赵', 'Zhao'], ['吴', 'Wu'], ['周', 'Zhou'], ['徐', 'Xu'], ['孙', 'Sun'], ['马', 'Ma'], ['朱', 'Zhu'],
  ['胡', 'Hu'], ['郭', 'Guo'], ['何', 'He'], ['高', 'Gao'], ['林', 'Lin'], ['罗', 'Luo'], ['郑', 'Zheng'],
  ['梁', 'Liang'], ['谢', 'Xie'], ['宋', 'Song'], ['唐', 'Tang'], ['许', 'Xu'], ['韩', 'Han'], ['冯', 'Feng'],
  ['邓', 'Deng'], ['曹', 'Cao'], ['彭', 'Peng'], ['曾', 'Zeng'], ['吕', 'Lü'], ['欧阳', 'Ouyang'],
];

export const chineseGivens: ReadonlyArray<[string, string]> = [
  ['伟', 'Wei'], ['芳', 'Fang'], ['娜', 'Na'], ['秀英', 'Xiuying'], ['敏', 'Min'], ['静', 'Jing'], ['丽', 'Li'],
  ['强', 'Qiang'], ['磊', 'Lei'], ['军', 'Jun'], ['洋', 'Yang'], ['勇', 'Yong'], ['艳', 'Yan'], ['杰', 'Jie'],
  ['娟', 'Juan'], ['涛', 'Tao'], ['明', 'Ming'], ['超', 'Chao'], ['秀兰', 'Xiulan'], ['霞', 'Xia'],
  ['平', 'Ping'], ['刚', 'Gang'], ['桂英', 'Guiying'], ['晓东', 'Xiaodong'], ['海燕', 'Haiyan'], ['志强', 'Zhiqiang'],
  ['建华', 'Jianhua'], ['雪', 'Xue'], ['思远', 'Siyuan'], ['子涵', 'Zihan'],
];

export const germanGivens = ['Anna', 'Jürgen', 'Lena', 'Matthias', 'Sabine', 'Stefan', 'Katrin', 'Björn', 'Ulrike', 'Tobias', 'Jörg', 'Heike', 'Maximilian', 'Sophie', 'Günter', 'Käthe'];
export const germanFamilies = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weiß', 'Meyer', 'Wagner', 'Becker', 'Schäfer', 'Hoffmann', 'Schröder', 'Koch', 'Groß', 'Krüger', 'Strauß', 'Köhler'];

export const englishGivens = ['James', 'Emily', 'Oliver', 'Charlotte', 'William', 'Grace', 'Henry', 'Olivia', 'Daniel', 'Sarah', 'Michael', 'Hannah'];
export const englishFamilies = ['Smith', 'Johnson', 'Brown', 'Taylor', 'Wilson', 'Davies', 'Evans', "O'Brien", 'Clarke', 'Walker', 'Wright', 'Thompson'];

export const frenchGivens = ['José', 'François', 'Hélène', 'Amélie', 'Jérôme', 'Céline', 'Benoît', 'Chloé', 'Thérèse', 'Loïc'];
export const frenchFamilies = ['Lefèvre', 'Dubois', 'Moreau', 'Laurent', 'Girard', 'Bérénger', 'Rousseau', 'Fontaine', 'Mercier', 'Garçon'];

/** Japanese names: [kanji family, kanji given, romaji family, romaji given]. */
export const japaneseNames: ReadonlyArray<[string, string, string, string]> = [
  ['佐藤', '健', 'Sato', 'Ken'], ['鈴木', '花子', 'Suzuki', 'Hanako'], ['高橋', '翔', 'Takahashi', 'Sho'],
  ['田中', '美咲', 'Tanaka', 'Misaki'], ['渡辺', '大輔', 'Watanabe', 'Daisuke'], ['伊藤', '陽菜', 'Ito', 'Hina'],
  ['山本', '蓮', 'Yamamoto', 'Ren'], ['中村', '結衣', 'Nakamura', 'Yui'],
];

export const koreanNames: ReadonlyArray<[string, string, string, string]> = [
  ['김', '민준', 'Kim', 'Min-jun'], ['이', '서연', 'Lee', 'Seo-yeon'], ['박', '지호', 'Park', 'Ji-ho'], ['최', '수아', 'Choi', 'Su-a'],
];

export const otherNames: ReadonlyArray<[string, string]> = [
  ['Giulia', 'Rossi'], ['Marco', 'Bianchi'], ['Lucía', 'Fernández'], ['Pablo', 'Martínez'], ['Ingrid', 'Johansson'],
  ['Søren', 'Nielsen'], ['Priya', 'Sharma'], ['Arjun', 'Patel'], ['Olga', 'Ivanova'], ['Piotr', 'Kowalski'],
  ['Zoë', 'van der Berg'], ['Nguyễn', 'Thị Lan'],
];

/** Organisations: foreign R&D centres and the innovation centre's institutes (all invented). */
export const organizations: readonly string[] = [
  '长三角国家技术创新中心',
  '上海长三角技术创新研究院',
  '上海市科学技术委员会',
  '上海科技交流中心',
  'Rheinland BioPharma Forschungszentrum Shanghai',
  'Nordlicht Energietechnik R&D China',
  'Alpenwerk Maschinenbau Innovation Center',
  'Helvetia Materials Research Asia',
  'Thames Digital Labs Shanghai',
  'Lumière Santé R&D Chine',
  'Sakura Precision Engineering Research',
  'Hanul Semiconductor Lab Shanghai',
  'Großmann Automotive Entwicklungszentrum',
  'Polaris Environmental Systems',
  '苏州纳米材料研究所',
  '南京生物医药创新研究院',
  '杭州智能制造研究院',
  '合肥新能源技术研究院',
  'Zemi Technology',
  'Atlantic Medical Devices R&D Center',
];
