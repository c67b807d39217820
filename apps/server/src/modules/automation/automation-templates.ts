import type { AutomationTemplateKey } from '@innkeeper/contracts';
import type { AutomationCondition, AutomationRuleCreate, AutomationStep, AutomationTrigger } from '@innkeeper/contracts/api';
import type { TagKind } from '@innkeeper/contracts';

/** The tags a template uses, by name and kind: the hotel's own tag of that name, or one made for it. */
type TemplateTag = { name: string; kind: TagKind; description: string };

type Template = {
  key: AutomationTemplateKey;
  name: string;
  description: string;
  tags: readonly TemplateTag[];
  /** The rule, given the ids of its tags by name. */
  build: (tagId: (name: string) => string) => { trigger: AutomationTrigger; condition: AutomationCondition; steps: AutomationStep[] };
};

const BUSINESS: TemplateTag = { name: '商務客', kind: 'campaign', description: '對平日商務住宿優惠有興趣的會員（自動化規則點擊加上）' };
const FAMILY: TemplateTag = { name: '家庭客', kind: 'campaign', description: '親子、家庭旅遊的會員（自動化規則點擊加上）' };
const VIP: TemplateTag = { name: 'VIP', kind: 'basic', description: 'VIP 貴賓' };

/**
 * The three scenarios of the specification (成功指標: 商務住宿優惠、家庭旅遊推播、VIP 續住優惠), ready to switch on.
 * A hotel makes a rule from one (switched off), reads and adjusts its messages, and switches it on.
 */
export const AUTOMATION_TEMPLATES: readonly Template[] = [
  {
    key: 'business_stay',
    name: '商務住宿優惠',
    description: '新綁定的會員一小時後收到平日商務住宿優惠；點「我有興趣」的會員加上「商務客」標籤，兩天後再收到專屬優惠碼。',
    tags: [BUSINESS],
    build: (tagId) => ({
      trigger: { kind: 'binding_completed' },
      condition: null,
      steps: [
        { kind: 'wait', amount: 1, unit: 'hours' },
        {
          kind: 'send',
          messages: [
            {
              type: 'buttons',
              altText: '平日商務住宿優惠：週一至週四入住 85 折',
              title: '平日商務住宿優惠',
              text: '週一至週四入住商務客房享 85 折，含早餐與延遲退房。',
              actions: [{ type: 'postback', label: '我有興趣', displayText: '我對平日商務優惠有興趣', tagIds: [tagId(BUSINESS.name)] }],
            },
          ],
        },
        { kind: 'wait', amount: 2, unit: 'days' },
        { kind: 'if_clicked', step: 1 },
        { kind: 'send', messages: [{ type: 'text', text: '{lastName}{firstName} 您好，感謝您對平日商務優惠的興趣！訂房時輸入優惠碼 BIZ85 即享 85 折，並免費使用商務中心。' }] },
      ],
    }),
  },
  {
    key: 'family_travel',
    name: '家庭旅遊推播',
    description: '退房兩週後，標記為「家庭客」、曾帶小孩入住，或住過家庭房、親子房（未記錄人數的住房）的會員收到親子住房專案；點「看親子專案」的會員加上「家庭客」標籤。',
    tags: [FAMILY],
    build: (tagId) => ({
      trigger: { kind: 'checked_out', days: 14, hour: 10 },
      // A stay says whether children came when its party was recorded (德安 ORDER_DT CHILD_QNT, synced since migration
      // 0036): that is the family trip itself, whatever the room, and a 四人房 of four adults is not one. Stays without
      // a party (entered by staff, imported, or from a PMS that sends no counts) keep the old stand-in, family and
      // children's room types; a recorded "no children" is not overruled by the room type.
      condition: {
        kind: 'conditions',
        definition: {
          type: 'group',
          op: 'or',
          conditions: [
            { type: 'tag', tagId: tagId(FAMILY.name), has: true },
            { type: 'stays', children: 'with', minCount: 1 },
            { type: 'stays', roomTypes: ['家庭房', '親子房', '四人房'], children: 'unrecorded', minCount: 1 },
          ],
        },
      },
      steps: [
        {
          kind: 'send',
          messages: [
            {
              type: 'bubble',
              altText: '親子住房專案：小朋友同行免費加床',
              title: '親子住房專案',
              text: '小朋友同行免費加床，贈送兒童備品與親子早餐，週末兩晚再享 9 折。',
              actions: [{ type: 'postback', label: '看親子專案', displayText: '我想看親子住房專案', tagIds: [tagId(FAMILY.name)] }],
            },
          ],
        },
      ],
    }),
  },
  {
    key: 'vip_repeat_stay',
    name: 'VIP 續住優惠',
    description: 'VIP 貴賓退房三天後收到續住優惠碼。',
    tags: [VIP],
    build: (tagId) => ({
      trigger: { kind: 'checked_out', days: 3, hour: 10 },
      condition: { kind: 'conditions', definition: { type: 'group', op: 'and', conditions: [{ type: 'tag', tagId: tagId(VIP.name), has: true }] } },
      steps: [{ kind: 'send', messages: [{ type: 'text', text: '{lastName}{firstName} 您好，感謝您再次入住！VIP 貴賓下次入住享 8 折續住優惠，訂房輸入優惠碼 VIP80，三個月內有效。' }] }],
    }),
  },
];

export function templateOf(key: AutomationTemplateKey): Template {
  return AUTOMATION_TEMPLATES.find((t) => t.key === key)!;
}

/** The rule a template makes, once its tags' ids are known. */
export function ruleFromTemplate(template: Template, propertyId: string | null, tagIds: ReadonlyMap<string, string>): AutomationRuleCreate {
  return { name: template.name, propertyId, ...template.build((name) => tagIds.get(name)!) };
}
