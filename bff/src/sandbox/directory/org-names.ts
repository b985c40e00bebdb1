/**
 * Name material for generated members: common surnames (roughly by frequency, so the first
 * entries are picked more often) and given-name syllables, each with its pinyin for userids.
 */

/** [hanzi, pinyin]. */
export type Syllable = readonly [string, string]

export const surnames: readonly Syllable[] = [
  ['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'],
  ['黄', 'huang'], ['赵', 'zhao'], ['吴', 'wu'], ['周', 'zhou'], ['徐', 'xu'], ['孙', 'sun'],
  ['马', 'ma'], ['朱', 'zhu'], ['胡', 'hu'], ['郭', 'guo'], ['何', 'he'], ['高', 'gao'],
  ['林', 'lin'], ['罗', 'luo'], ['郑', 'zheng'], ['梁', 'liang'], ['谢', 'xie'], ['宋', 'song'],
  ['唐', 'tang'], ['许', 'xu'], ['韩', 'han'], ['冯', 'feng'], ['邓', 'deng'], ['曹', 'cao'],
  ['彭', 'peng'], ['曾', 'zeng'], ['肖', 'xiao'], ['田', 'tian'], ['董', 'dong'], ['袁', 'yuan'],
  ['潘', 'pan'], ['于', 'yu'], ['蒋', 'jiang'], ['蔡', 'cai'], ['余', 'yu'], ['杜', 'du'],
  ['叶', 'ye'], ['程', 'cheng'], ['苏', 'su'], ['魏', 'wei'], ['吕', 'lv'], ['丁', 'ding'],
  ['任', 'ren'], ['沈', 'shen'], ['姚', 'yao'], ['卢', 'lu'], ['姜', 'jiang'], ['崔', 'cui'],
  ['钟', 'zhong'], ['谭', 'tan'], ['陆', 'lu'], ['汪', 'wang'], ['范', 'fan'], ['金', 'jin'],
  ['石', 'shi'], ['廖', 'liao'], ['贾', 'jia'], ['夏', 'xia'], ['韦', 'wei'], ['付', 'fu'],
  ['方', 'fang'], ['白', 'bai'], ['邹', 'zou'], ['孟', 'meng'], ['熊', 'xiong'], ['秦', 'qin'],
  ['邱', 'qiu'], ['江', 'jiang'], ['尹', 'yin'], ['薛', 'xue'], ['闫', 'yan'], ['段', 'duan'],
  ['雷', 'lei'], ['侯', 'hou'], ['龙', 'long'], ['史', 'shi'], ['陶', 'tao'], ['黎', 'li'],
  ['贺', 'he'], ['顾', 'gu'], ['毛', 'mao'], ['郝', 'hao'], ['龚', 'gong'], ['邵', 'shao'],
  ['万', 'wan'], ['钱', 'qian'], ['严', 'yan'], ['武', 'wu'], ['戴', 'dai'], ['莫', 'mo'],
  ['孔', 'kong'], ['向', 'xiang'], ['汤', 'tang'], ['欧阳', 'ouyang'], ['司马', 'sima'],
]

export const maleSyllables: readonly Syllable[] = [
  ['伟', 'wei'], ['强', 'qiang'], ['磊', 'lei'], ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'],
  ['杰', 'jie'], ['涛', 'tao'], ['明', 'ming'], ['超', 'chao'], ['刚', 'gang'], ['平', 'ping'],
  ['辉', 'hui'], ['鹏', 'peng'], ['华', 'hua'], ['飞', 'fei'], ['鑫', 'xin'], ['波', 'bo'],
  ['斌', 'bin'], ['宇', 'yu'], ['浩', 'hao'], ['凯', 'kai'], ['健', 'jian'], ['俊', 'jun'],
  ['帆', 'fan'], ['帅', 'shuai'], ['旭', 'xu'], ['宁', 'ning'], ['龙', 'long'], ['林', 'lin'],
  ['阳', 'yang'], ['峰', 'feng'], ['建', 'jian'], ['国', 'guo'], ['志', 'zhi'], ['文', 'wen'],
  ['博', 'bo'], ['晨', 'chen'], ['轩', 'xuan'], ['然', 'ran'], ['子', 'zi'], ['天', 'tian'],
  ['海', 'hai'], ['成', 'cheng'], ['东', 'dong'], ['亮', 'liang'], ['昊', 'hao'], ['嘉', 'jia'],
]

export const femaleSyllables: readonly Syllable[] = [
  ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['艳', 'yan'],
  ['霞', 'xia'], ['婷', 'ting'], ['雪', 'xue'], ['琳', 'lin'], ['颖', 'ying'], ['佳', 'jia'],
  ['倩', 'qian'], ['悦', 'yue'], ['欣', 'xin'], ['怡', 'yi'], ['玲', 'ling'], ['慧', 'hui'],
  ['萍', 'ping'], ['红', 'hong'], ['燕', 'yan'], ['晶', 'jing'], ['洁', 'jie'], ['琪', 'qi'],
  ['雨', 'yu'], ['梦', 'meng'], ['思', 'si'], ['晓', 'xiao'], ['月', 'yue'], ['秀', 'xiu'],
  ['兰', 'lan'], ['梅', 'mei'], ['莉', 'li'], ['蕾', 'lei'], ['薇', 'wei'], ['诗', 'shi'],
  ['涵', 'han'], ['妍', 'yan'], ['瑶', 'yao'], ['璐', 'lu'], ['彤', 'tong'], ['馨', 'xin'],
]
