import type { ThemeConfig } from 'antd';

export const appTheme: ThemeConfig = {
  // Ant Design's component styles come from the stylesheet it ships prebuilt (imported in main.tsx) instead of being
  // computed, hashed and inserted by every component on every page load (~150 ms of a load's script, more of the
  // browser's own style work). The tokens below still reach them: antd writes them as CSS variables at run time.
  zeroRuntime: true,
  token: {
    colorPrimary: '#0f766e',
    borderRadius: 6,
    fontFamily: "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'Noto Sans TC', 'PingFang TC', 'Microsoft JhengHei', sans-serif",
  },
};
