import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Flex, Form, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from '../../../components/error-message.ts';
import { uploadCampaignImage } from '../api.ts';
import type { CampaignImage } from '../messages.ts';
import { imagePath } from '../preview.ts';
import { issueProps, type Issues } from './field-issues.ts';

type Props = {
  imageId: string | undefined;
  images: ReadonlyMap<string, CampaignImage>;
  onUploaded: (image: CampaignImage) => void;
  onChange: (imageId: string | undefined) => void;
  optional: boolean;
  path: string;
  issues: Issues;
  disabled: boolean;
};

/** Choose and upload an image (and, for files over 1 MB, a preview of at most 1 MB); the server checks LINE's rules. */
export function ImageField({ imageId, images, onUploaded, onChange, optional, path, issues, disabled }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [withPreview, setWithPreview] = useState(false);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const image = imageId ? images.get(imageId) : undefined;

  const upload = async (files: FileList | null) => {
    // With a preview, both are chosen together: the larger file is the image, the smaller its preview.
    const [file, preview] = files ? [...files].sort((a, b) => b.size - a.size) : [];
    if (!file) return;
    setBusy(true);
    try {
      const uploaded = await uploadCampaignImage(file, withPreview ? preview : undefined);
      onUploaded(uploaded);
      onChange(uploaded.id);
      void message.success(t('campaigns.editor.imageUploaded', { width: uploaded.width, height: uploaded.height }));
    } catch (error) {
      void message.error(errorMessageOf(error));
    } finally {
      setBusy(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  return (
    <Form.Item label={t('campaigns.editor.image')} extra={t('campaigns.editor.imageHelp')} {...issueProps(issues, path)}>
      <Flex gap={12} align="center" wrap>
        {image ? <img src={imagePath(image.previewUrl)} alt={image.fileName} style={{ width: 72, height: 72, objectFit: 'cover', borderRadius: 6, border: '1px solid #eee' }} /> : null}
        <input ref={fileInput} type="file" accept="image/jpeg,image/png" multiple={withPreview} style={{ display: 'none' }} aria-hidden onChange={(e) => void upload(e.target.files)} />
        <Button icon={<UploadOutlined />} loading={busy} disabled={disabled} onClick={() => fileInput.current?.click()}>
          {image ? t('campaigns.editor.replaceImage') : t('campaigns.editor.uploadImage')}
        </Button>
        {image && optional ? (
          <Button type="text" danger icon={<DeleteOutlined />} disabled={disabled} onClick={() => onChange(undefined)}>
            {t('campaigns.editor.removeImage')}
          </Button>
        ) : null}
        <Checkbox checked={withPreview} disabled={disabled} onChange={(e) => setWithPreview(e.target.checked)}>
          {t('campaigns.editor.choosePreview')}
        </Checkbox>
        {image ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {image.fileName} · {image.width} × {image.height}
          </Typography.Text>
        ) : null}
      </Flex>
    </Form.Item>
  );
}
