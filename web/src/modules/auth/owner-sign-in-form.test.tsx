import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import { OwnerSignInForm } from './owner-sign-in-form';

function setup(over: Partial<Parameters<typeof OwnerSignInForm>[0]> = {}) {
  const onSendCode = vi.fn(async () => ({ sentTo: '138****8000' }));
  const onSignIn = vi.fn(async () => undefined);
  render(<OwnerSignInForm onSendCode={onSendCode} onSignIn={onSignIn} {...over} />);
  return { onSendCode, onSignIn, user: userEvent.setup() };
}

describe('OwnerSignInForm', () => {
  it('does not ask for a code for an invalid number', async () => {
    const { onSendCode, user } = setup();
    await user.type(screen.getByLabelText('手机号'), '1380013800');
    await user.click(screen.getByRole('button', { name: '获取验证码' }));
    expect(await screen.findByText('手机号为 11 位数字')).toBeTruthy();
    expect(onSendCode).not.toHaveBeenCalled();
  });

  it('sends the normalised number and counts down before a resend', async () => {
    const { onSendCode, user } = setup();
    await user.type(screen.getByLabelText('手机号'), '+86 138-0013-8000');
    await user.click(screen.getByRole('button', { name: '获取验证码' }));
    expect(onSendCode).toHaveBeenCalledWith('13800138000');
    expect(await screen.findByText('验证码已发送至 138****8000')).toBeTruthy();
    expect(screen.getByTestId('send-code').textContent).toMatch(/秒后重发/);
  });

  it('validates the code before signing in', async () => {
    const { onSignIn, user } = setup();
    await user.type(screen.getByLabelText('手机号'), '13800138000');
    await user.type(screen.getByLabelText('验证码'), '12a');
    await user.click(screen.getByRole('button', { name: '登录' }));
    expect(await screen.findByText('验证码是 6 位数字')).toBeTruthy();
    expect(onSignIn).not.toHaveBeenCalled();
    await user.clear(screen.getByLabelText('验证码'));
    await user.type(screen.getByLabelText('验证码'), '123456');
    await user.click(screen.getByRole('button', { name: '登录' }));
    expect(onSignIn).toHaveBeenCalledWith('13800138000', '123456');
  });

  it('shows a refused code in the person’s language, with the server’s words as detail', async () => {
    const { user } = setup({
      onSignIn: vi.fn(async () => {
        throw new ApiError(401, 'auth.bad_code', 'The code is wrong or has expired; ask for a new one');
      }),
    });
    await user.type(screen.getByLabelText('手机号'), '13800138000');
    await user.type(screen.getByLabelText('验证码'), '000000');
    await user.click(screen.getByRole('button', { name: '登录' }));
    const alert = await screen.findByTestId('error');
    expect(alert.textContent).toContain('验证码错误或已过期，请重新获取');
    expect(alert.textContent).toContain('The code is wrong or has expired');
  });
});
