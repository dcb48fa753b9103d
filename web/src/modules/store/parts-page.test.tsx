import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { staffClient } from '../../api/client';
import { PartsPage, qty } from './parts-page';
import { StoreContext } from './store-context';

const STORE = { id: 'st_1', name: '测试门店' };
const LOC = { id: 'loc_1', kind: 'store', name: '门店库', storeId: 'st_1', bins: [] };

function routes(path: string): unknown {
  if (path === '/inventory/locations')
    return { items: [LOC, { ...LOC, id: 'loc_other', storeId: 'st_2', name: '别的店' }], nextCursor: null };
  if (path === '/inventory/locations/loc_1/stock')
    return {
      location: LOC,
      items: [
        {
          partId: 'prt_1',
          sku: 'OF-VW',
          name: '机油滤清器',
          unit: 'each',
          bin: 'A-01',
          onHandMilli: 3000,
          reservedMilli: 1000,
          availableMilli: 2000,
          reorderPointMilli: null,
        },
        {
          partId: 'prt_2',
          sku: 'OIL-STD',
          name: '机油',
          unit: 'litre',
          bin: null,
          onHandMilli: 20_500,
          reservedMilli: 0,
          availableMilli: 20_500,
          reorderPointMilli: null,
        },
      ],
    };
  if (path === '/inventory/locations/loc_1/numbers')
    return {
      valueOnHandFen: 110_000,
      turnoverDays: 12.5,
      fillRate: 0.95,
      stockOuts: { unfilledDemandLines: 1 },
    };
  if (path === '/inventory/locations/loc_1/ledger')
    return {
      items: [
        {
          id: 1,
          kind: 'receipt',
          onHandDeltaMilli: 20_500,
          reservedDeltaMilli: 0,
          refType: 'receipt',
          traceCode: null,
          at: '2026-06-01T02:00:00.000Z',
        },
      ],
      nextCursor: null,
    };
  if (path === '/inventory/purchase-orders')
    return {
      items: [
        {
          id: 'po_1',
          locationId: 'loc_1',
          supplier: '博世',
          status: 'partly_received',
          lines: [{ partId: 'prt_1', qtyMilli: 5000, receivedMilli: 3000 }],
        },
        { id: 'po_2', locationId: 'loc_1', supplier: '已收完', status: 'received', lines: [] },
      ],
      nextCursor: null,
    };
  if (path.startsWith('/inventory/trace/'))
    return { code: 'PL1', result: 'already_consumed', sku: 'OF-VW', partName: '机油滤清器', batch: 'B1' };
  throw new Error(`unexpected ${path}`);
}

afterEach(() => vi.restoreAllMocks());

describe('PartsPage', () => {
  it('shows the store’s stock in units, a part’s ledger, receives a PO’s rest and checks a trace code', async () => {
    vi.spyOn(staffClient, 'get').mockImplementation(async (path: string) => routes(path) as never);
    const post = vi.spyOn(staffClient, 'post').mockResolvedValue({} as never);
    const user = userEvent.setup();
    render(
      <StoreContext.Provider
        value={{ store: STORE, stores: [STORE], role: 'store_manager', userId: 'usr_1' }}
      >
        <PartsPage />
      </StoreContext.Provider>,
    );
    await waitFor(() => expect(screen.getByText('OF-VW')).toBeTruthy());
    expect(screen.queryByText('别的店')).toBeNull();
    expect(screen.getAllByText('20.5')).toHaveLength(2); // on hand and available
    expect(screen.getByText('95%')).toBeTruthy();
    await user.click(screen.getByText('OIL-STD'));
    await waitFor(() => expect(screen.getByTestId('parts-ledger').textContent).toContain('入库'));
    expect(screen.queryByText('已收完')).toBeNull();
    await user.click(screen.getByRole('button', { name: '全部收货' }));
    expect(post).toHaveBeenCalledWith('/inventory/purchase-orders/po_1/receive', {
      lines: [{ partId: 'prt_1', qty: '2' }],
    });
    await user.type(screen.getByLabelText('溯源码'), 'PL1');
    await user.click(screen.getByRole('button', { name: '查验' }));
    await waitFor(() =>
      expect(screen.getByTestId('trace-result').textContent).toContain('已被使用：疑似假冒'),
    );
  });

  it('formats milli-units exactly', () => {
    expect(qty(1500)).toBe('1.5');
    expect(qty(3000)).toBe('3');
    expect(qty(-250)).toBe('-0.25');
  });
});
