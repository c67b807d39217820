import type { Locale } from '@innkeeper/contracts';

type Mail = { subject: string; text: string };

export function loginCodeMail(locale: Locale, code: string, minutes: number): Mail {
  return locale === 'en'
    ? {
        subject: `Your Innkeeper sign-in code: ${code}`,
        text: `Your sign-in code is ${code}. It is valid for ${minutes} minutes.\n\nIf you did not try to sign in, ignore this email and tell your administrator.`,
      }
    : {
        subject: `Innkeeper 登入驗證碼：${code}`,
        text: `您的登入驗證碼是 ${code}，${minutes} 分鐘內有效。\n\n若這不是您本人的登入，請忽略此信並通知管理員。`,
      };
}

export function passwordResetMail(locale: Locale, link: string, minutes: number): Mail {
  return locale === 'en'
    ? { subject: 'Reset your Innkeeper password', text: `Open this link within ${minutes} minutes to choose a new password:\n\n${link}\n\nIf you did not ask for this, ignore this email.` }
    : { subject: 'Innkeeper 密碼重設', text: `請在 ${minutes} 分鐘內開啟以下連結設定新密碼：\n\n${link}\n\n若您沒有申請重設密碼，請忽略此信。` };
}

export function invitationMail(locale: Locale, input: { tenantName: string; displayName: string; link: string; days: number }): Mail {
  return locale === 'en'
    ? {
        subject: `You are invited to ${input.tenantName} on Innkeeper`,
        text: `Hello ${input.displayName},\n\nAn administrator of ${input.tenantName} created an Innkeeper account for you. Open this link within ${input.days} days to choose your password:\n\n${input.link}`,
      }
    : {
        subject: `邀請您加入 ${input.tenantName} 的 Innkeeper 後台`,
        text: `${input.displayName} 您好：\n\n${input.tenantName} 的管理員為您建立了 Innkeeper 後台帳號。請在 ${input.days} 天內開啟以下連結設定密碼：\n\n${input.link}`,
      };
}

/** To the account's owner when the account-wide throttle trips (decision 0007). */
export function accountThrottledMail(locale: Locale, input: { failures: number; resetUrl: string }): Mail {
  return locale === 'en'
    ? {
        subject: 'Innkeeper: many failed sign-ins to your account',
        text: `In the last hour there were ${input.failures} failed sign-ins to your Innkeeper account, from one or more addresses. Sign-in to it is paused for up to an hour.\n\nIf this was not you, someone may be guessing your password: choose a new one at ${input.resetUrl} (this also ends the pause) and tell your administrator.`,
      }
    : {
        subject: 'Innkeeper：您的帳號登入失敗次數過多',
        text: `過去一小時內，您的 Innkeeper 帳號有 ${input.failures} 次登入失敗，可能來自不同位置。此帳號的登入已暫停，最長一小時。\n\n若這不是您本人，可能有人在猜測您的密碼：請至 ${input.resetUrl} 重設密碼（重設後即可立即登入），並通知管理員。`,
      };
}
