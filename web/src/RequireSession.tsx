import { Outlet, useLocation, useNavigate } from 'react-router';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { request, setCsrfToken, setUnauthenticatedHandler } from './api/client.ts';
import type { Me } from './api/types.ts';
import { Loading } from './components/Loading.tsx';
import { SessionContext } from './session.tsx';
import { takeSignedIn } from './boot/first-screen.ts';

/** Pages behind sign-in: ask /api/v1/auth/me once; without a session go to /sign-in and come back here after. */
export function RequireSession() {
  // The app opened with the session already asked for (boot/first-screen.ts): no spinner, no second ask.
  const [me, setMe] = useState<Me | null>(() => {
    const opened = takeSignedIn();
    if (opened) setCsrfToken(opened.csrfToken);
    return opened;
  });
  const navigate = useNavigate();
  const location = useLocation();
  const here = location.pathname + location.search;

  const toSignIn = useCallback(() => {
    setCsrfToken(null);
    // Both the 401 handler and the failed /me call land here: go to sign-in once, keeping the first page.
    if (window.location.pathname.startsWith('/sign-in')) return;
    const next = window.location.pathname + window.location.search;
    navigate(`/sign-in?next=${encodeURIComponent(next)}`, { replace: true });
  }, [navigate]);

  useEffect(() => {
    setUnauthenticatedHandler(toSignIn);
    if (me) return;
    let cancelled = false;
    request<Me>('GET', '/api/v1/auth/me')
      .then((answer) => {
        if (cancelled) return;
        setCsrfToken(answer.csrfToken);
        setMe(answer);
      })
      .catch(() => {
        if (!cancelled && !me) toSignIn();
      });
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const value = useMemo(
    () =>
      me && {
        user: me.user,
        signOut: async () => {
          await request('POST', '/api/v1/auth/sign-out').catch(() => undefined);
          setCsrfToken(null);
          setMe(null);
          navigate('/sign-in', { replace: true });
        },
      },
    [me, navigate],
  );
  void here;
  if (!value) return <Loading />;
  return (
    <SessionContext.Provider value={value}>
      <Outlet />
    </SessionContext.Provider>
  );
}
