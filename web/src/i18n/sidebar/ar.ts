import type { SidebarText } from "./en";

export const ar: SidebarText = {
  label: "المحادثات",
  search: "البحث في المحادثات",
  titleLabel: "عنوان المحادثة",
  rename: "إعادة التسمية",
  renameNamed: (title) => `إعادة تسمية ${title}`,
  delete: "حذف",
  deleteNamed: (title) => `حذف ${title}`,
  confirmDelete: (title) => `حذف «${title}» وكل رسائلها؟`,
  noMatch: "لا توجد عناوين مطابقة.",
  none: "لا توجد محادثات بعد.",
  loadMore: "عرض المزيد",
  logOut: "تسجيل الخروج",
};
