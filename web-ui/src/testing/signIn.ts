import { screen } from '@testing-library/react';
import { type Options as UserEventOptions, userEvent } from '@testing-library/user-event';

const labels = {
  ar: { username: 'اسم المستخدم', password: 'كلمة المرور', signIn: 'دخول' },
  en: { username: 'Username', password: 'Password', signIn: 'Sign in' },
};

/**
 * Signs in on the sign-in page an app shows, as a person would: types the username and password and presses
 * the button. Answers the user-event session so the test goes on with the same person.
 */
export async function signIn(
  username: string,
  {
    password = 'demo-password',
    locale = 'ar',
    userEvent: userEventOptions,
  }: { password?: string; locale?: 'ar' | 'en'; userEvent?: UserEventOptions } = {},
) {
  const user = userEvent.setup(userEventOptions);
  const label = labels[locale];
  await user.type(await screen.findByLabelText(label.username), username);
  await user.type(screen.getByLabelText(label.password), password);
  await user.click(screen.getByRole('button', { name: label.signIn }));
  return user;
}
