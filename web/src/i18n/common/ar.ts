import type { CommonText } from "./en";
import { formatNumber } from "../texts";

export const ar: CommonText = {
  newChat: "محادثة جديدة",
  reload: "إعادة التحميل",
  language: "اللغة",
  connection: {
    connecting: "جارٍ الاتصال…",
    reconnecting: "جارٍ إعادة الاتصال…",
    lost: (seconds) => `انقطع الاتصال. إعادة المحاولة بعد ${formatNumber(seconds)} ث`,
    retryNow: "أعد المحاولة الآن",
    refused: "رُفض هذا الاتصال. أعد تحميل الصفحة.",
  },
  code: {
    copyLabel: "نسخ الشيفرة",
    copy: "نسخ",
    copied: "تم النسخ",
    text: "نص",
    offsiteImage: "صورة من موقع آخر، لم تُحمَّل",
  },
  admin: {
    link: "الإدارة",
    loading: "جارٍ تحميل لوحة الإدارة…",
    notStaffTitle: "هذه الصفحة للمشرفين",
    notStaff: "لا يستطيع حسابك فتح لوحة الإدارة. اطلب ذلك من أحد المشرفين إن احتجت إليه.",
    backToChat: "العودة إلى المحادثة",
  },
};
