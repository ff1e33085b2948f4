import type { SidebarText } from "./en";

export const ar: SidebarText = {
  label: "المحادثات",
  search: "البحث في المحادثات",
  titleLabel: "عنوان المحادثة",
  rename: "إعادة التسمية",
  delete: "حذف",
  confirmDelete: (title) => `حذف «${title}» وكل رسائلها؟`,
  none: "لا توجد محادثات بعد.",
  loadMore: "عرض المزيد",
  logOut: "تسجيل الخروج",
};
