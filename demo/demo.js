// The demo's theme and language pickers. Loaded with `defer` before inkwell.js, so the saved language and theme
// are in place before the elements first render (the page's CSP allows no inline script, hence this file).
const THEMES = ['newspaper', 'contrast', 'dark'];
const KEY = { theme: 'inkwell-demo-theme', lang: 'inkwell-demo-lang' };

const root = document.documentElement;
const main = document.querySelector('main');
const themePicker = document.getElementById('demo-theme');
const langPicker = document.getElementById('demo-lang');

// Storage can be off (private modes, blocked cookies): the pickers still work, they just forget.
const load = (key) => {
  try {
    return localStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
};
const save = (key, value) => {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* not persisted, nothing else lost */
  }
};

function applyTheme(name) {
  for (const t of THEMES) root.classList.toggle(`theme-${t}`, t === name);
  // The dark demo theme sets its own colours; theme="dark" also gives the elements' native controls a dark scheme.
  for (const el of document.querySelectorAll('ink-article, ink-comments, ink-comment-form')) {
    el.setAttribute('theme', name === 'dark' ? 'dark' : 'auto');
  }
}

function applyLang(lang) {
  // The elements watch their ancestors' lang and render again in the new language.
  main.lang = lang;
}

/** A saved value if the picker still offers it, else the picker's first option. */
function restore(picker, key) {
  const saved = load(key);
  if ([...picker.options].some((o) => o.value === saved)) picker.value = saved;
  return picker.value;
}

applyTheme(restore(themePicker, KEY.theme));
applyLang(restore(langPicker, KEY.lang));

themePicker.addEventListener('change', () => {
  applyTheme(themePicker.value);
  save(KEY.theme, themePicker.value);
});
langPicker.addEventListener('change', () => {
  applyLang(langPicker.value);
  save(KEY.lang, langPicker.value);
});
