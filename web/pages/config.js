import { get } from '../api.js';
import { h, table } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { loading, pageHeading } from '../ui.js';

export async function render(main) {
  pageHeading(main, 'config.title');
  main.append(h('p', {}, t('config.explain')));
  const done = loading(main);
  const [config, { users }] = await Promise.all([get('/config'), get('/users')]);
  done();
  main.append(h('h2', {}, t('config.users')),
    table(t('config.users'), [t('config.username'), t('config.role'), t('config.state'), t('config.createdAt')],
      users.map((u) => [u.username, t(`role.${u.role}`), u.disabled ? t('config.disabled') : t('config.active'), formatDateTime(u.createdAt)]), { rowHeader: true, hideCaption: true }),
    h('p', { class: 'hint' }, t('config.usersHint')));
  main.append(h('h2', {}, t('config.settings')),
    h('pre', { class: 'json', tabindex: '0', 'aria-label': t('config.settings') }, JSON.stringify(config, null, 2)));
}
