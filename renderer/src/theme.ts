/** Light and dark themes: the OS decides until the user picks one with the toggle. */
import { useEffect, useState } from 'react';

export type Theme = 'light' | 'dark';
const KEY = 'cmdb.theme';
const media = () => window.matchMedia('(prefers-color-scheme: dark)');

function stored(): Theme | null {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    return null;
  }
}

function current(): Theme {
  return stored() ?? (media().matches ? 'dark' : 'light');
}

function apply(t: Theme): void {
  document.documentElement.dataset.theme = t;
}

export function initTheme(): void {
  apply(current());
}

export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(current);
  useEffect(() => {
    apply(theme);
    window.dispatchEvent(new CustomEvent('cmdb-theme', { detail: theme }));
  }, [theme]);
  useEffect(() => {
    const m = media();
    const on = () => {
      if (!stored()) setTheme(m.matches ? 'dark' : 'light');
    };
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  const toggle = () =>
    setTheme((t) => {
      const next: Theme = t === 'dark' ? 'light' : 'dark';
      try {
        localStorage.setItem(KEY, next);
      } catch {
        // Without storage the choice lasts for this session.
      }
      return next;
    });
  return [theme, toggle];
}
