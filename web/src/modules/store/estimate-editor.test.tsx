import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { EstimateLine, ServiceItem } from '../../api/types';
import { CustomLineForm, EstimateEditor } from './estimate-editor';

const LINES: EstimateLine[] = [
  {
    id: 'el_1',
    kind: 'labour',
    itemCode: 'oil_change',
    partTypeCode: null,
    description: '更换机油机滤 工时',
    qtyMilli: 30000,
    unitPriceFen: 200,
    amountFen: 6000,
    recommended: false,
    approval: 'approved',
  },
  {
    id: 'el_2',
    kind: 'part',
    itemCode: 'wipers',
    partTypeCode: 'wiper_blade',
    description: '雨刮片',
    qtyMilli: 2000,
    unitPriceFen: 4500,
    amountFen: 9000,
    recommended: true,
    approval: 'pending',
  },
];
const ITEMS = [
  { code: 'wipers', nameZh: '更换雨刮片', nameEn: 'Wiper blades', active: true },
  { code: 'coolant', nameZh: '更换冷却液', nameEn: 'Coolant change', active: true },
] as ServiceItem[];

describe('CustomLineForm', () => {
  it('validates description, quantity and price before adding', async () => {
    const onAdd = vi.fn(async () => undefined);
    const user = userEvent.setup();
    render(<CustomLineForm onAdd={onAdd} />);
    const form = screen.getByTestId('custom-line-form');
    await user.clear(within(form).getByLabelText('数量'));
    await user.type(within(form).getByLabelText('数量'), '0');
    await user.type(within(form).getByLabelText('单价（元）'), '12.345');
    await user.click(within(form).getByRole('button', { name: '添加' }));
    expect(within(form).getByText('必填')).toBeTruthy();
    expect(within(form).getByText('须大于 0')).toBeTruthy();
    expect(within(form).getByText('请输入金额，如 128 或 128.50')).toBeTruthy();
    expect(onAdd).not.toHaveBeenCalled();
  });

  it('sends quantity in milli-units and the price in fen, then clears the form', async () => {
    const onAdd = vi.fn(async () => undefined);
    const user = userEvent.setup();
    render(<CustomLineForm onAdd={onAdd} />);
    const form = screen.getByTestId('custom-line-form');
    await user.type(within(form).getByLabelText('名称'), '节气门清洗');
    await user.selectOptions(within(form).getByLabelText('类型'), 'labour');
    await user.clear(within(form).getByLabelText('工时（小时）'));
    await user.type(within(form).getByLabelText('工时（小时）'), '1.5');
    await user.type(within(form).getByLabelText('工时单价（元/小时）'), '120');
    expect(within(form).getByText('¥180.00')).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: '添加' }));
    expect(onAdd).toHaveBeenCalledWith({
      custom: { kind: 'labour', description: '节气门清洗', qtyMilli: 1500, unitPriceFen: 12000 },
    });
    expect((within(form).getByLabelText('名称') as HTMLInputElement).value).toBe('');
  });
});

describe('EstimateEditor', () => {
  it('totals the lines, offers recommended items first and removes pending lines only', async () => {
    const onRemove = vi.fn(async () => undefined);
    const onAdd = vi.fn(async () => undefined);
    const user = userEvent.setup();
    render(
      <EstimateEditor
        lines={LINES}
        items={ITEMS}
        suggested={['wipers']}
        canAdd
        canRemove
        onAdd={onAdd}
        onRemove={onRemove}
      />,
    );
    expect(screen.getByText('¥150.00')).toBeTruthy();
    const options = within(screen.getByLabelText('增加服务项目')).getAllByRole('option');
    expect(options[1]?.textContent).toContain('检测建议');
    await user.click(screen.getByTestId('add-item'));
    expect(screen.getByText('请选择')).toBeTruthy();
    expect(onAdd).not.toHaveBeenCalled();
    const removeButtons = screen.getAllByRole('button', { name: '删除' });
    expect(removeButtons).toHaveLength(1);
    await user.click(removeButtons[0]!);
    expect(onRemove).toHaveBeenCalledWith('el_2');
  });
});
