/** Demo cities: a centre and districts with plausible GCJ-02 coordinates (what Chinese maps show). */
export interface DemoDistrict {
  name: string;
  nameEn: string;
  lon: number;
  lat: number;
  /** Spread of stores/owners around the district centre, in degrees. */
  spread: number;
}

export interface DemoCity {
  key: string;
  name: string;
  nameEn: string;
  plateProvince: string;
  plateAuthority: string;
  phonePrefixes: string[];
  districts: DemoDistrict[];
}

export const CITIES: Record<string, DemoCity> = {
  hangzhou: {
    key: 'hangzhou',
    name: '杭州',
    nameEn: 'Hangzhou',
    plateProvince: '浙',
    plateAuthority: 'A',
    phonePrefixes: ['138', '139', '135', '136', '158', '159', '186', '187', '188', '177', '199'],
    districts: [
      { name: '上城区', nameEn: 'Shangcheng', lon: 120.1713, lat: 30.2503, spread: 0.02 },
      { name: '拱墅区', nameEn: 'Gongshu', lon: 120.1419, lat: 30.3193, spread: 0.025 },
      { name: '西湖区', nameEn: 'Xihu', lon: 120.1302, lat: 30.2595, spread: 0.03 },
      { name: '滨江区', nameEn: 'Binjiang', lon: 120.2118, lat: 30.2083, spread: 0.02 },
      { name: '萧山区', nameEn: 'Xiaoshan', lon: 120.2646, lat: 30.185, spread: 0.04 },
      { name: '余杭区', nameEn: 'Yuhang', lon: 120.2995, lat: 30.419, spread: 0.05 },
      { name: '临平区', nameEn: 'Linping', lon: 120.299, lat: 30.42, spread: 0.03 },
      { name: '钱塘区', nameEn: 'Qiantang', lon: 120.493, lat: 30.323, spread: 0.04 },
    ],
  },
};

export function cityOrThrow(key: string): DemoCity {
  const c = CITIES[key];
  if (!c) throw new Error(`Unknown demo city ${key}; available: ${Object.keys(CITIES).join(', ')}`);
  return c;
}
