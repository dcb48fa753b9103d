import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { EstimateLine } from '../../api/types';
import { EstimateApproval, groupTimeline, ReviewForm } from './work-order-view';

const line = (
  id: string,
  amountFen: number,
  approval: EstimateLine['approval'] = 'pending',
): EstimateLine => ({
  id,
  kind: 'part',
  itemCode: 'wipers',
  partTypeCode: null,
  description: `项目 ${id}`,
  qtyMilli: 1000,
  unitPriceFen: amountFen,
  amountFen,
  recommended: true,
  approval,
});

describe('EstimateApproval', () => {
  it('asks for a decision on every pending line and totals what is approved', async () => {
    const onSubmit = vi.fn(async () => undefined);
    const user = userEvent.setup();
    render(
      <EstimateApproval
        lines={[line('el_a', 10000, 'approved'), line('el_b', 4500), line('el_c', 20000)]}
        onSubmit={onSubmit}
      />,
    );
    await user.click(screen.getByTestId('submit-approval'));
    expect(screen.getByText('还有 2 项未选择同意或暂不做')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
    const approve = screen.getAllByTestId('approve-line');
    const decline = screen.getAllByTestId('decline-line');
    await user.click(approve[0]!);
    await user.click(decline[1]!);
    expect(screen.getByText('¥145.00')).toBeTruthy();
    await user.click(screen.getByTestId('submit-approval'));
    expect(onSubmit).toHaveBeenCalledWith([
      { lineId: 'el_b', approve: true },
      { lineId: 'el_c', approve: false },
    ]);
  });
});

describe('ReviewForm', () => {
  it('needs stars', async () => {
    const onSubmit = vi.fn(async () => undefined);
    const user = userEvent.setup();
    render(<ReviewForm onSubmit={onSubmit} />);
    await user.click(screen.getByTestId('submit-review'));
    expect(screen.getByText('请选择星级')).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: '4 星' }));
    await user.click(screen.getByRole('button', { name: '准时' }));
    await user.type(screen.getByLabelText('说说您的体验（选填）'), '很好');
    await user.click(screen.getByTestId('submit-review'));
    expect(onSubmit).toHaveBeenCalledWith(4, '很好', ['on_time']);
  });
});

describe('groupTimeline', () => {
  it('folds repeated steps into one line', () => {
    const n = (event: string, at: string) => ({
      at,
      event,
      from: 'in_progress',
      to: 'in_progress',
      actorRole: 'technician',
    });
    const g = groupTimeline([
      n('step_done', '1'),
      n('step_done', '2'),
      n('step_done', '3'),
      n('finish_work', '4'),
    ]);
    expect(g.map((x) => [x.event, x.count, x.at])).toEqual([
      ['step_done', 3, '3'],
      ['finish_work', 1, '4'],
    ]);
  });
});
