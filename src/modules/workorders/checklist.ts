/** The standard digital vehicle inspection: points, and the item a yellow/red point recommends. */
import type { Powertrain } from '../catalog/index.js';

export interface InspectionPoint {
  code: string;
  zh: string;
  en: string;
  recommend: string | null;
  powertrains?: Powertrain[];
}

export const INSPECTION_POINTS: InspectionPoint[] = [
  { code: 'tyres', zh: '轮胎花纹与胎压', en: 'Tyre tread and pressure', recommend: 'tyre_replace' },
  {
    code: 'brakes_front',
    zh: '前刹车片厚度',
    en: 'Front brake pad thickness',
    recommend: 'brake_pads_front',
  },
  { code: 'brakes_rear', zh: '后刹车片厚度', en: 'Rear brake pad thickness', recommend: 'brake_pads_rear' },
  { code: 'brake_fluid', zh: '刹车油含水量', en: 'Brake fluid water content', recommend: 'brake_fluid' },
  {
    code: 'engine_oil',
    zh: '机油液位与油质',
    en: 'Engine oil level and condition',
    recommend: 'oil_change',
    powertrains: ['ICE', 'HEV', 'PHEV'],
  },
  { code: 'coolant', zh: '冷却液液位与冰点', en: 'Coolant level and freezing point', recommend: 'coolant' },
  { code: 'battery_12v', zh: '12V 蓄电池电压', en: '12 V battery voltage', recommend: 'battery_12v' },
  {
    code: 'air_filter',
    zh: '空气滤清器',
    en: 'Air filter',
    recommend: 'air_filter',
    powertrains: ['ICE', 'HEV', 'PHEV'],
  },
  { code: 'cabin_filter', zh: '空调滤清器', en: 'Cabin filter', recommend: 'cabin_filter' },
  { code: 'wipers', zh: '雨刮片', en: 'Wiper blades', recommend: 'wipers' },
  { code: 'lights', zh: '灯光', en: 'Lights', recommend: null },
  { code: 'suspension', zh: '悬挂与转向', en: 'Suspension and steering', recommend: 'wheel_alignment' },
  { code: 'ac', zh: '空调制冷效果', en: 'A/C cooling', recommend: 'ac_service' },
  {
    code: 'hv_battery',
    zh: '动力电池状态',
    en: 'Traction battery state',
    recommend: 'nev_battery_check',
    powertrains: ['HEV', 'PHEV', 'BEV'],
  },
  {
    code: 'hv_system',
    zh: '高压线束与接插件',
    en: 'HV harness and connectors',
    recommend: 'nev_hv_inspection',
    powertrains: ['PHEV', 'BEV'],
  },
];

export function pointsFor(powertrain: Powertrain): InspectionPoint[] {
  return INSPECTION_POINTS.filter((p) => !p.powertrains || p.powertrains.includes(powertrain));
}
