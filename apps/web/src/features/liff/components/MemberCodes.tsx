import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

type Props = { memberNo: string; showQrCode: boolean; showBarcode: boolean };

/** The member number as a QR code and a Code 128 barcode for the front desk's scanner (libraries load only here). */
export function MemberCodes({ memberNo, showQrCode, showBarcode }: Props) {
  const { t } = useTranslation();
  const [qr, setQr] = useState<string>();
  const barcode = useRef<SVGSVGElement>(null);

  useEffect(() => {
    if (!showQrCode) return undefined;
    let current = true;
    void import('qrcode')
      .then(({ default: QRCode }) => QRCode.toDataURL(memberNo, { margin: 1, width: 400, errorCorrectionLevel: 'M' }))
      .then((url) => current && setQr(url))
      .catch(() => current && setQr(undefined));
    return () => {
      current = false;
    };
  }, [memberNo, showQrCode]);

  useEffect(() => {
    if (!showBarcode) return;
    void import('jsbarcode').then(({ default: JsBarcode }) => {
      if (barcode.current) JsBarcode(barcode.current, memberNo, { format: 'CODE128', height: 64, width: 2, margin: 0, displayValue: false, background: '#ffffff' });
    });
  }, [memberNo, showBarcode]);

  if (!showQrCode && !showBarcode) return null;
  return (
    <div className="liff-codes">
      {showQrCode ? (
        qr ? (
          <img className="liff-qr" src={qr} alt={t('liff.card.qrAlt', { memberNo })} data-testid="liff-qr" data-member-no={memberNo} />
        ) : (
          <div className="liff-qr" aria-hidden="true" />
        )
      ) : null}
      {showBarcode ? <svg ref={barcode} className="liff-barcode" role="img" aria-label={t('liff.card.barcodeAlt', { memberNo })} data-testid="liff-barcode" data-member-no={memberNo} /> : null}
      <span className="liff-muted">{t('liff.card.showAtDesk')}</span>
    </div>
  );
}
