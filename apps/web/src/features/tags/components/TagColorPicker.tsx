import { CheckOutlined } from '@ant-design/icons';
import { ColorPicker, Flex, Tag, Tooltip, theme } from 'antd';
import { useTranslation } from 'react-i18next';

/** antd's preset tag colours (names the server accepts as they are), with their swatch colour. */
export const PRESET_COLORS = [
  ['magenta', '#eb2f96'],
  ['red', '#f5222d'],
  ['volcano', '#fa541c'],
  ['orange', '#fa8c16'],
  ['gold', '#faad14'],
  ['lime', '#a0d911'],
  ['green', '#52c41a'],
  ['cyan', '#13c2c2'],
  ['blue', '#1677ff'],
  ['geekblue', '#2f54eb'],
  ['purple', '#722ed1'],
] as const;
type PresetName = (typeof PRESET_COLORS)[number][0];

const isHex = (value: string | undefined): value is string => Boolean(value && /^#[0-9a-fA-F]{6}$/.test(value));

type Props = { value?: string; onChange?: (value: string) => void; id?: string; preview?: string };

/** A form control: one of the preset colours, or any colour from the picker (stored as #rrggbb). */
export function TagColorPicker({ value = 'blue', onChange, id, preview }: Props) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Flex vertical gap={8} id={id}>
      <Flex gap={6} wrap role="radiogroup" aria-label={t('tags.form.color')}>
        {PRESET_COLORS.map(([name, swatch]) => {
          const selected = value === name;
          return (
            <Tooltip key={name} title={t(`tags.colors.${name as PresetName}`)}>
              <button
                type="button"
                role="radio"
                aria-checked={selected}
                aria-label={t(`tags.colors.${name as PresetName}`)}
                onClick={() => onChange?.(name)}
                style={{
                  width: 24,
                  height: 24,
                  borderRadius: '50%',
                  border: selected ? `2px solid ${token.colorText}` : '2px solid transparent',
                  outline: 'none',
                  background: swatch,
                  color: '#fff',
                  cursor: 'pointer',
                  display: 'inline-flex',
                  alignItems: 'center',
                  justifyContent: 'center',
                  padding: 0,
                }}
              >
                {selected ? <CheckOutlined style={{ fontSize: 12 }} /> : null}
              </button>
            </Tooltip>
          );
        })}
        <ColorPicker
          value={isHex(value) ? value : undefined}
          onChangeComplete={(color) => onChange?.(color.toHexString().slice(0, 7).toLowerCase())}
          disabledAlpha
          size="small"
          showText={() => t('tags.form.customColor')}
          aria-label={t('tags.form.customColor')}
        />
      </Flex>
      <div>
        <Tag color={value}>{preview || t('tags.form.preview')}</Tag>
      </div>
    </Flex>
  );
}
