/** A photo behind an authenticated route: fetched with the session's token, shown from a blob URL. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function AuthPhoto({ load, alt }: { load: () => Promise<Blob>; alt: string }): ReactNode {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [big, setBig] = useState(false);
  const loadRef = useRef(load);
  useEffect(() => {
    let live = true;
    let made: string | null = null;
    loadRef.current().then(
      (b) => {
        if (!live) return;
        made = URL.createObjectURL(b);
        setUrl(made);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, []);
  if (failed) return <span className="photo-missing small muted">{t('inspection.photoUnavailable')}</span>;
  if (!url) return <span className="photo-loading" aria-busy="true" />;
  return (
    <button type="button" className={`photo-thumb${big ? ' big' : ''}`} onClick={() => setBig((b) => !b)}>
      <img src={url} alt={alt} data-testid="photo" />
    </button>
  );
}
